// The server's per-field verdict on the pre-chat form: its issues[].path mapped to the form's field keys.

export interface ServerIssue { path: (string | number)[]; message: string }

/** First message per form field: `["phone"]` is the phone field, `["custom","plan"]` the custom field `plan`. */
export function fieldIssues(issues: readonly ServerIssue[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues || []) {
    const key = i.path[0] === 'custom' ? i.path[1] : i.path[0];
    if (key !== undefined && !(String(key) in out)) out[String(key)] = i.message;
  }
  return out;
}

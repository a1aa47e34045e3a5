import { useState } from 'preact/hooks';
import { useApp } from '../app-context';
import type { Conversation, TeamAgent } from '../api/schemas';
import { errorText } from '../lib/issues';

/** Assign (to me, a teammate or nobody) and resolve / reopen, from the thread's head. */
export function ConversationActions({ conv, team, onChange }: { conv: Conversation; team: TeamAgent[]; onChange: (c: Conversation) => void }) {
  const { api, me, inbox } = useApp();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const myId = me.agent?.id;

  async function patch(body: { status?: 'open' | 'resolved'; assigneeId?: string | null }) {
    setBusy(true); setError(null);
    try { onChange(await api.conversations.patch(conv.id, body)); inbox.refresh(); }
    catch (err) { setError(errorText(err, 'Could not change the conversation.')); }
    finally { setBusy(false); }
  }

  // the current assignee stays choosable even when the team list is unknown to this role
  const options = team.filter((a) => a.id !== myId);
  const unknownAssignee = conv.assigneeId && conv.assigneeId !== myId && !team.some((a) => a.id === conv.assigneeId);
  return (
    <div class="conv-actions">
      <label class="visually-hidden" for={`assignee-${conv.id}`}>Assignee</label>
      <select id={`assignee-${conv.id}`} class="input input-small" value={conv.assigneeId ?? ''} disabled={busy}
        onChange={(e) => patch({ assigneeId: e.currentTarget.value || null })}>
        <option value="">Unassigned</option>
        {myId && <option value={myId}>Me ({me.agent!.name})</option>}
        {options.map((a) => <option key={a.id} value={a.id}>{a.name}{a.presence === 'online' ? '' : a.presence === 'away' ? ' (away)' : ' (offline)'}</option>)}
        {unknownAssignee && <option value={conv.assigneeId!}>A teammate</option>}
      </select>
      {myId && conv.assigneeId !== myId && <button type="button" class="btn btn-small" disabled={busy} onClick={() => patch({ assigneeId: myId })}>Assign to me</button>}
      {conv.status === 'resolved'
        ? <button type="button" class="btn btn-small" disabled={busy} onClick={() => patch({ status: 'open' })}>Reopen</button>
        : <button type="button" class="btn btn-small btn-primary" disabled={busy} onClick={() => patch({ status: 'resolved' })}>Resolve</button>}
      {error && <p class="field-error" role="alert">{error}</p>}
    </div>
  );
}

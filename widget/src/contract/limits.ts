// Input limits (issue 2: N accepted, N+1 refused); one table so server, widget, docs and tests read the same numbers.
export const LIMITS = {
  bodyBytes: 64 * 1024,
  messageChars: 10_000,
  nameChars: 255,
  emailChars: 254,
  phoneChars: 32,
  customValueChars: 1_500,
  customFields: 50,
  tagChars: 64,
  noteChars: 20_000,
  customerIdChars: 255,
  eventsPerBatch: 100,
  tagsPerContact: 100,
  /** `tag=` (and, separately, `field.KEY=`) parameters in one contact-list query: each is a join; 1,100 of them was a 500 */
  tagFilters: 20,
} as const;

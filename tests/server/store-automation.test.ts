// What every Store engine must do for the schedule, webhooks and rules (storage/automation-store.ts), written
// against the interface only, with helpers/engines.ts: SQLite and PostgreSQL run the same suite.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../server-stub/src/storage/store.js';
import { eachEngine } from './helpers/engines.js';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T11:00:00.000Z';

eachEngine('store automation', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await engine.open());
  });
  afterEach(() => dispose());

  describe('schedule runs', () => {
    it('a task never run reads null; the first claim stores its time, a second "never ran" claim loses', async () => {
      expect(await store.read((r) => r.getScheduleRun('t'))).toBeNull();
      expect(await store.write((tx) => tx.claimScheduleRun('t', null, T0))).toBe(true);
      expect(await store.write((tx) => tx.claimScheduleRun('t', null, T0))).toBe(false);
      expect(await store.read((r) => r.getScheduleRun('t'))).toBe(T0);
    });

    it('a claim wins only against the value it read', async () => {
      await store.write((tx) => tx.claimScheduleRun('t', null, T0));
      expect(await store.write((tx) => tx.claimScheduleRun('t', T1, T1))).toBe(false);
      expect(await store.write((tx) => tx.claimScheduleRun('t', T0, T1))).toBe(true);
      expect(await store.write((tx) => tx.claimScheduleRun('t', T0, T1))).toBe(false);
      expect(await store.read((r) => r.getScheduleRun('t'))).toBe(T1);
      expect(await store.read((r) => r.getScheduleRun('other'))).toBeNull();
    });
  });

  describe('webhooks and deliveries', () => {
    const hook = { id: 'wh_1', url: 'https://example.com/h', events: ['contact.created'], enabled: true, secret: 'whsec_x', createdAt: T0, failingSince: null, disabledReason: null };
    const delivery = (id: string, next: string | null, status: 'pending' | 'delivered' = 'pending') =>
      ({ id, webhookId: 'wh_1', type: 'contact.created', body: '{}', createdAt: T0, status, attempts: 0, nextAttemptAt: next, lastAttemptAt: null, lastStatus: null, lastError: null });

    it('finds due deliveries of enabled webhooks only, and a claim wins once', async () => {
      await store.write(async (tx) => {
        await tx.insertWebhook(hook);
        await tx.insertDelivery(delivery('msg_a', T0));
        await tx.insertDelivery(delivery('msg_b', T1));
        await tx.insertDelivery(delivery('msg_c', null, 'delivered'));
      });
      expect((await store.read((r) => r.dueDeliveries(T0, 10))).map((d) => d.id)).toEqual(['msg_a']);
      expect(await store.read((r) => r.nextDeliveryAt())).toBe(T0);
      expect(await store.write((tx) => tx.claimDelivery('msg_a', T0, T1))).toBe(true);
      expect(await store.write((tx) => tx.claimDelivery('msg_a', T0, T1))).toBe(false);
      expect(await store.read((r) => r.dueDeliveries(T0, 10))).toEqual([]);
      await store.write((tx) => tx.updateWebhook('wh_1', { enabled: false }));
      expect(await store.read((r) => r.dueDeliveries(T1, 10))).toEqual([]);
      expect(await store.read((r) => r.nextDeliveryAt())).toBeNull();
      await store.write((tx) => tx.deleteWebhook('wh_1'));
      expect(await store.read((r) => r.getDelivery('msg_a'))).toBeUndefined();
    });
  });

  describe('rules', () => {
    const ruleRow = (id: string, position: number) => ({ id, name: id, enabled: true, position, triggerJson: '{"on":"contact.created"}', whereJson: null, actionsJson: '[]', createdAt: T0, updatedAt: T0 });

    it('every rule write moves the version; a rolled-back one leaves it as it was', async () => {
      const v0 = await store.read((r) => r.rulesVersion());
      await store.write((tx) => tx.insertRule(ruleRow('ru_b', 1)));
      await store.write((tx) => tx.insertRule(ruleRow('ru_a', 0)));
      const v1 = await store.read((r) => r.rulesVersion());
      expect(v1).not.toBe(v0);
      expect((await store.read((r) => r.listRules())).map((x) => x.id)).toEqual(['ru_a', 'ru_b']);
      await expect(store.write(async (tx) => { await tx.updateRule('ru_a', { enabled: false }); throw new Error('no'); })).rejects.toThrow('no');
      expect(await store.read((r) => r.rulesVersion())).toBe(v1);
      await store.write((tx) => tx.updateRule('ru_a', { enabled: false }));
      expect(await store.read((r) => r.rulesVersion())).not.toBe(v1);
    });

    it('lists runs newest first, and an inactive contact once per spell', async () => {
      await store.write(async (tx) => {
        await tx.insertRule(ruleRow('ru_a', 0));
        await tx.insertContact({ id: 'ct_1', siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: T0 });
        for (let i = 0; i < 3; i++) await tx.insertRuleRun({ ruleId: 'ru_a', at: T0, contactId: 'ct_1', trigger: `t${i}`, matched: true, actionsJson: '[]' });
      });
      const all = await store.read((r) => r.listRuleRuns('ru_a', { limit: 10 }));
      expect(all.map((x) => x.trigger)).toEqual(['t2', 't1', 't0']);
      expect((await store.read((r) => r.listRuleRuns('ru_a', { beforeId: all[0].id, limit: 10 }))).map((x) => x.trigger)).toEqual(['t1', 't0']);
      const seen = (await store.read((r) => r.getContact('ct_1')))!.lastSeenAt;
      expect(await store.read((r) => r.inactiveContacts('ru_a', T1, 10))).toEqual([{ id: 'ct_1', lastSeenAt: seen }]);
      expect(await store.read((r) => r.inactiveContacts('ru_a', seen, 10))).toEqual([]); // not idle long enough
      await store.write((tx) => tx.markInactive('ru_a', 'ct_1', seen));
      expect(await store.read((r) => r.inactiveContacts('ru_a', T1, 10))).toEqual([]);
      await store.write((tx) => tx.updateContact('ct_1', { lastSeenAt: '2026-03-01T10:30:00.000Z' }));
      expect(await store.read((r) => r.inactiveContacts('ru_a', T1, 10))).toHaveLength(1);
      await store.write((tx) => tx.deleteRule('ru_a'));
      expect(await store.read((r) => r.listRuleRuns('ru_a', { limit: 10 }))).toEqual([]);
    });
  });
});

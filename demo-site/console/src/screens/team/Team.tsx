import { useEffect, useState } from 'preact/hooks';
import { useApp, useLive } from '../../app-context';
import type { Role, TeamAgent } from '../../api/schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { Presence } from '../../components/Presence';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { relativeTime } from '../../lib/format';
import { errorText } from '../../lib/issues';
import { grantable, ROLE_LABEL } from '../../lib/roles';
import { InviteForm } from './InviteForm';

/** Team (admins and owners): who is on it, their role and presence; invite, change role, disable, pending invites. */
export function Team() {
  const { api, me } = useApp();
  const [agents, setAgents] = useState<TeamAgent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [rowError, setRowError] = useState<{ id: string; text: string } | null>(null);
  const [confirm, setConfirm] = useState<TeamAgent | null>(null);
  const [links, setLinks] = useState<Record<string, string>>({}); // fresh invite links, shown once per row

  const load = () => { setError(null); api.agents.list().then((r) => setAgents(r.items), setError); };
  useEffect(load, [api]);
  useLive((e) => {
    if (e.event !== 'presence') return;
    // a pending invitee coming online has just accepted: read the team again to move them to the members
    if (agents?.find((a) => a.id === e.json?.agentId)?.pending !== false) return load();
    setAgents((l) => l?.map((a) => (a.id === e.json?.agentId ? { ...a, presence: e.json.presence } : a)) ?? l);
  });

  const replace = (a: TeamAgent) => setAgents((l) => l?.map((x) => (x.id === a.id ? { ...x, ...a } : x)) ?? l);
  async function patch(a: TeamAgent, body: { role?: Role; disabled?: boolean }, done: string) {
    setRowError(null);
    try { replace(await api.agents.patch(a.id, body)); setNotice(done); }
    catch (err) { setRowError({ id: a.id, text: errorText(err, 'Could not change this teammate.') }); load(); }
  }

  async function newLink(a: TeamAgent) {
    setRowError(null);
    try { const inv = await api.agents.reinvite(a.id); setLinks({ ...links, [a.id]: inv.url }); setNotice(`New invite link for ${a.name}; the old one no longer works.`); }
    catch (err) { setRowError({ id: a.id, text: errorText(err, 'Could not make a new link.') }); }
  }

  // an admin manages admins and agents; owners are the owners' business (CONTRACT §6)
  const manageable = (a: TeamAgent) => me.role === 'owner' || a.role !== 'owner';
  const isMe = (a: TeamAgent) => me.agent?.id === a.id;
  const members = agents?.filter((a) => !a.pending) ?? [];
  const pending = agents?.filter((a) => a.pending) ?? [];

  const roleCell = (a: TeamAgent) => manageable(a) && !a.disabled ? (
    <>
      <label class="visually-hidden" for={`role-${a.id}`}>Role of {a.name}</label>
      <select id={`role-${a.id}`} class="input input-small" value={a.role} onChange={(e) => patch(a, { role: e.currentTarget.value as Role }, `${a.name} is now ${ROLE_LABEL[e.currentTarget.value as Role]}.`)}>
        {[...new Set([a.role, ...grantable(me.role)])].map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}
      </select>
    </>
  ) : <span class="pill">{ROLE_LABEL[a.role]}</span>;

  return (
    <section class="page" aria-labelledby="team-title">
      <header class="page-head"><div>
        <p class="eyebrow">Team</p>
        <h1 id="team-title">Team</h1>
        <p class="muted">Owners can do everything; admins everything but owners; agents work contacts and conversations.</p>
      </div></header>
      <InviteForm onInvited={(a) => { setNotice(`${a.name} invited.`); load(); }} />
      <p class="visually-hidden" role="status">{notice}</p>
      {error ? <ErrorState error={error} onRetry={load} /> : null}
      <div class="card table-card">
        {!agents ? <Loading /> : (
          <div class="table-scroll" tabIndex={0} role="region" aria-label="Team members, scrolls sideways on a narrow screen"><table class="table" aria-label="Team members">
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Last active</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {members.map((a) => (
                <tr key={a.id} class={a.disabled ? 'row-disabled' : ''}>
                  <td><span class="strong">{a.name}</span>{isMe(a) && <span class="muted"> (you)</span>}
                    {rowError?.id === a.id && <p class="field-error" role="alert">{rowError.text}</p>}</td>
                  <td class="cell-muted">{a.email}</td>
                  <td>{roleCell(a)}</td>
                  <td>{a.disabled ? <span class="pill">Disabled</span> : <Presence presence={a.presence} />}</td>
                  <td>{relativeTime(a.lastActiveAt)}</td>
                  <td class="cell-actions">
                    {manageable(a) && !isMe(a) && (a.disabled
                      ? <button type="button" class="btn btn-small" onClick={() => patch(a, { disabled: false }, `${a.name} can sign in again.`)}>Enable<span class="visually-hidden"> {a.name}</span></button>
                      : <button type="button" class="btn btn-small btn-danger-ghost" onClick={() => setConfirm(a)}>Disable<span class="visually-hidden"> {a.name}</span></button>)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </div>
      <section class="card panel" aria-labelledby="pending-title">
        <h2 id="pending-title">Pending invites</h2>
        {!agents ? <Loading /> : pending.length === 0 ? <EmptyState title="No pending invites">Invited teammates show here until they choose a password.</EmptyState> : (
          <div class="table-scroll" tabIndex={0} role="region" aria-label="Pending invites, scrolls sideways on a narrow screen"><table class="table table-compact" aria-label="Pending invites">
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Invited</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {pending.map((a) => (
                <tr key={a.id}>
                  <td>{a.name}{rowError?.id === a.id && <p class="field-error" role="alert">{rowError.text}</p>}
                    {links[a.id] && <div class="input-row">
                      <label class="visually-hidden" for={`link-${a.id}`}>New invite link for {a.name}</label>
                      <input id={`link-${a.id}`} class="input input-small mono" readOnly value={links[a.id]} onFocus={(e) => e.currentTarget.select()} />
                      <CopyButton text={links[a.id]} label="Copy link" sourceId={`link-${a.id}`} />
                    </div>}</td>
                  <td class="cell-muted">{a.email}</td>
                  <td><span class="pill">{ROLE_LABEL[a.role]}</span></td>
                  <td>{relativeTime(a.createdAt)}</td>
                  <td class="cell-actions">{manageable(a) && !a.disabled && <>
                    <button type="button" class="btn btn-small" onClick={() => newLink(a)}>New link<span class="visually-hidden"> for {a.name}</span></button>
                    <button type="button" class="btn btn-small btn-danger-ghost" onClick={() => setConfirm(a)}>Cancel invite<span class="visually-hidden"> for {a.name}</span></button>
                  </>}
                    {a.disabled && <span class="pill">Cancelled</span>}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </section>
      {confirm && (
        <ConfirmDialog title={confirm.pending ? `Cancel the invite for ${confirm.name}?` : `Disable ${confirm.name}?`} confirmLabel={confirm.pending ? 'Cancel invite' : 'Disable'}
          onCancel={() => setConfirm(null)} onConfirm={() => { const a = confirm; setConfirm(null); void patch(a, { disabled: true }, a.pending ? `Invite for ${a.name} cancelled.` : `${a.name} is disabled.`); }}>
          <p>{confirm.pending ? 'The link stops working at once.' : 'Their sessions and API tokens stop at once; their messages keep their name. You can enable them again later.'}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

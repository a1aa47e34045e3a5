// Thin clients for CONTRACT §6: the signed-in caller, sign-in, first-run setup, invites, the team and API tokens.
import { z } from 'zod';
import { query, type Http } from './http';
import {
  agentCreatedSchema, agentListSchema, apiTokenCreatedSchema, apiTokenListSchema, inviteSchema, meSchema, setupStateSchema,
  signedInSchema, teamAgentSchema, type Role,
} from '../../../../widget/src/contract/zod/team';

export type Me = z.infer<typeof meSchema>;

// PATCH /v1/agents/:id answers the agent, bare or as {agent} (CONTRACT §6 names neither): both are read.
const patchedAgentSchema = z.union([signedInSchema.transform((r) => r.agent), teamAgentSchema]);

/** Who is calling and the calls only the caller makes about themself (GET/PATCH /v1/me, logout). */
export function createMeApi(http: Http) {
  return {
    get: () => http('GET', '/v1/me', undefined, meSchema),
    patch: (body: { name?: string; password?: { current: string; next: string }; away?: boolean }) => http('PATCH', '/v1/me', body, signedInSchema),
    logout: () => http('POST', '/v1/auth/logout'),
    /** Ends every session of the caller, this one included. */
    logoutEverywhere: () => http('POST', '/v1/auth/logout-all'),
  };
}

/** The team (admins and owners): list, invite, change role, disable. */
export function createAgentsApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: () => http('GET', '/v1/agents' + query({ limit: 200 }), undefined, agentListSchema),
    invite: (body: { name: string; email: string; role: Role }) => http('POST', '/v1/agents', body, agentCreatedSchema),
    patch: (id: string, body: { name?: string; role?: Role; disabled?: boolean }) => http('PATCH', `/v1/agents/${enc(id)}`, body, patchedAgentSchema),
    /** A fresh one-time link for a pending invite (the old one stops working). */
    reinvite: (id: string) => http('POST', `/v1/agents/${enc(id)}/invite`, undefined, inviteSchema),
  };
}

/** API tokens for integrations: the secret is in the create answer only. */
export function createApiTokensApi(http: Http) {
  return {
    list: () => http('GET', '/v1/api-tokens', undefined, apiTokenListSchema),
    create: (body: { name: string; role: Role }) => http('POST', '/v1/api-tokens', body, apiTokenCreatedSchema),
    revoke: (id: string) => http('DELETE', `/v1/api-tokens/${encodeURIComponent(id)}`),
  };
}

/** The calls made before anyone is signed in: they set the session cookie on success. */
export function createPublicApi(http: Http) {
  return {
    login: (email: string, password: string) => http('POST', '/v1/auth/login', { email, password }, signedInSchema),
    setupState: () => http('GET', '/v1/setup', undefined, setupStateSchema),
    setup: (body: { token: string; name: string; email: string; password: string }) => http('POST', '/v1/setup', body, signedInSchema),
    acceptInvite: (body: { token: string; password: string; name?: string }) => http('POST', '/v1/invites/accept', body, signedInSchema),
  };
}

import { z } from 'zod';

import { defineMethod } from './define';

export const TenantTier = z.enum(['free', 'basic', 'premium', 'enterprise']);
export type TenantTier = z.infer<typeof TenantTier>;

export const Tenant = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  tier: TenantTier,
  active: z.boolean(),
  createdAt: z.string(),
});
export type Tenant = z.infer<typeof Tenant>;

/** Names are unique case-insensitively (the tenants_name_key index); the engine says so at the field. */
const TenantName = z.string().trim().min(1, 'give the tenant a name').max(120, 'at most 120 characters');

export const tenantsMethods = {
  'tenants.list': defineMethod({
    summary: 'List tenants, active first, by name',
    mutates: false,
    input: z.object({ includeInactive: z.boolean().default(true) }).strict(),
    output: z.object({ tenants: z.array(Tenant) }),
  }),
  'tenants.create': defineMethod({
    summary: 'Create a tenant (admin)',
    mutates: true,
    input: z.object({ name: TenantName, tier: TenantTier.default('premium') }).strict(),
    output: Tenant,
  }),
  'tenants.update': defineMethod({
    summary: 'Rename a tenant, change its tier, activate or deactivate it (admin)',
    mutates: true,
    input: z
      .object({ id: z.number().int().positive(), name: TenantName.optional(), tier: TenantTier.optional(), active: z.boolean().optional() })
      .strict()
      .refine((v) => v.name !== undefined || v.tier !== undefined || v.active !== undefined, { message: 'nothing to change: give a name, a tier or active', path: ['name'] }),
    output: Tenant,
  }),
};

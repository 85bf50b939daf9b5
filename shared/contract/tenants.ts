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

export const tenantsMethods = {
  'tenants.list': defineMethod({
    summary: 'List tenants, active first, by name',
    mutates: false,
    input: z.object({ includeInactive: z.boolean().default(true) }).strict(),
    output: z.object({ tenants: z.array(Tenant) }),
  }),
};

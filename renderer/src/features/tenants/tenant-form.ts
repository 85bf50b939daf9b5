import { z } from 'zod';

import { ApiError } from '../../../../shared/contract/errors';
import { TenantTier } from '../../../../shared/contract/tenants';

/** The tenant form's schema: the contract's own rules for a name and a tier. */
export const TenantFormSchema = z.object({
  name: z.string().trim().min(1, 'give the tenant a name').max(120, 'at most 120 characters'),
  tier: TenantTier,
});
export type TenantFormValues = z.input<typeof TenantFormSchema>;

export const tierLabels: Record<TenantTier, string> = { free: 'Free', basic: 'Basic', premium: 'Premium', enterprise: 'Enterprise' };

/** The message for the name field when the engine refused the name, else null (shown as a notice). */
export const nameIssue = (error: unknown): string | null =>
  error instanceof ApiError ? (error.issues?.find((i) => i.path === 'name')?.message ?? null) : null;

import type { BundleInfo } from '../../../../shared/contract/bundles';
import { BUNDLE_LIMITS } from '../../../../shared/contract/bundles';

import { formatBytes, formatTime } from './filter-model';

/**
 * Says, before anything else on the screen, that this is a bundle file and not the database (like
 * the offline banner): its name, size and export time, whose units they are, the lines that were
 * skipped with their numbers, and what a bundle cannot do.
 */
export function BundleBanner({ bundle, onClose }: { bundle: BundleInfo; onClose(): void }) {
  const h = bundle.header;
  return (
    <div className="offline-banner bundle-banner" role="status" data-testid="bundle-banner">
      <div>
        <strong data-testid="bundle-title">
          Bundle: {bundle.fileName} · {bundle.units.toLocaleString()} unit(s) · exported {formatTime(h.exportedAt)}
        </strong>
      </div>
      <div className="muted">
        {formatBytes(bundle.bytes)} · tenant {h.tenantId} · {h.integration ? `integration ${h.integration.name ?? h.integration.id}${h.integration.connector ? ` (${h.integration.connector})` : ''}` : 'several integrations'} · read
        from {h.source === 'cache' ? 'a local raw cache (offline export)' : 'Postgres'} · read-only, from the file: no lineage, versions or reprocess.
      </div>
      <div className="muted">{BUNDLE_LIMITS.lineage}</div>
      {bundle.problemCount > 0 ? (
        <details data-testid="bundle-problems">
          <summary>
            {bundle.problemCount.toLocaleString()} line(s) skipped: they are not raw units{bundle.problemCount > bundle.problems.length ? ` (the first ${bundle.problems.length} listed)` : ''}.
          </summary>
          <ul>
            {bundle.problems.map((p) => (
              <li key={p.line}>
                line {p.line}: {p.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <button type="button" className="button small" onClick={onClose} data-testid="bundle-close">
        Close the bundle
      </button>
    </div>
  );
}

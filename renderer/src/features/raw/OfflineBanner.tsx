import { OFFLINE_LIMITS, type OfflineInfo } from '../../../../shared/contract/raw';
import { MessageText } from '../../components/MessageText';

import { formatBytes } from './filter-model';

/** Says, before anything else on the screen, that this is the local cache and not Postgres. */
export function OfflineBanner({ offline, onRetry }: { offline: OfflineInfo; onRetry(): void }) {
  return (
    <div className="offline-banner" role="status" data-testid="raw-offline-banner">
      <div>
        <strong>Offline: showing this machine’s local raw cache, read-only.</strong> <MessageText text={offline.reason} />
      </div>
      <div className="muted">
        {offline.cachePath} · {offline.cachedUnits.toLocaleString()} cached unit(s), {formatBytes(offline.cacheBytes)} · text search {offline.search === 'fts5' ? 'by words (FTS5)' : 'by substring'} · statuses are as this
        machine last saw them. Needs Postgres: lineage, versions, reprocess, error search; the preview runs without mappings.
      </div>
      <div className="muted">{OFFLINE_LIMITS.errorText}</div>
      <button type="button" className="button small" onClick={onRetry} data-testid="raw-retry-online">
        Try Postgres again
      </button>
    </div>
  );
}

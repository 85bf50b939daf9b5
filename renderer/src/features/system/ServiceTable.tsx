import type { ServiceHealth } from '../../../../shared/contract/system';

import { sortServices } from './format';
import { ServiceRow } from './ServiceRow';

const columns = ['Service', 'State', 'Version', 'Latency', 'Target', 'Checked'];

export function ServiceTable({ services }: { services: readonly ServiceHealth[] }) {
  return (
    <div className="service-table" role="table" aria-label="Service health">
      <div className="service-row service-head" role="row">
        {columns.map((column) => (
          <div key={column} role="columnheader">
            {column}
          </div>
        ))}
      </div>
      {sortServices(services).map((health) => (
        <ServiceRow key={health.service} health={health} />
      ))}
    </div>
  );
}

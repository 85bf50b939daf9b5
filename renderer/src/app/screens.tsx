import type { ComponentType } from 'react';

import { IntegrationsPage } from '../features/integrations/IntegrationsPage';
import { JobsPage } from '../features/jobs/JobsPage';
import { MappingsPage } from '../features/mappings/MappingsPage';
import { QueuesPage } from '../features/queues/QueuesPage';
import { RawDataPage } from '../features/raw/RawDataPage';
import { RunsPage } from '../features/runs/RunsPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { SystemPage } from '../features/system/SystemPage';
import { TenantsPage } from '../features/tenants/TenantsPage';
import { VectorsPage } from '../features/vectors/VectorsPage';
import { WorkersPage } from '../features/workers/WorkersPage';

export interface Screen {
  /** Route segment and the `nav-<id>` test hook; keep stable, Playwright relies on them. */
  readonly id: 'jobs' | 'runs' | 'integrations' | 'mappings' | 'raw' | 'queues' | 'workers' | 'vectors' | 'settings' | 'tenants' | 'system';
  readonly label: string;
  readonly group: 'Operate' | 'Data' | 'Configure' | 'Platform';
  readonly Component: ComponentType;
}

export const screens: readonly Screen[] = [
  { id: 'jobs', label: 'Jobs', group: 'Operate', Component: JobsPage },
  { id: 'runs', label: 'Runs', group: 'Operate', Component: RunsPage },
  { id: 'queues', label: 'Queues', group: 'Operate', Component: QueuesPage },
  { id: 'workers', label: 'Workers', group: 'Operate', Component: WorkersPage },
  { id: 'raw', label: 'Raw data', group: 'Data', Component: RawDataPage },
  { id: 'vectors', label: 'Vectors', group: 'Data', Component: VectorsPage },
  { id: 'integrations', label: 'Integrations', group: 'Configure', Component: IntegrationsPage },
  { id: 'mappings', label: 'Mappings', group: 'Configure', Component: MappingsPage },
  { id: 'settings', label: 'Settings', group: 'Configure', Component: SettingsPage },
  { id: 'tenants', label: 'Tenants', group: 'Platform', Component: TenantsPage },
  { id: 'system', label: 'System', group: 'Platform', Component: SystemPage },
];

export const screenGroups = ['Operate', 'Data', 'Configure', 'Platform'] as const;

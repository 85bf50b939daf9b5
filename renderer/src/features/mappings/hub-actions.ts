import type { Hierarchy, MappingsChange, StatusMapping, WitMapping, WorkflowStep } from '../../../../shared/contract/mappings';

import type { DeleteMappingTarget } from './DeleteMappingDialog';
import type { ReassignTarget } from './ReassignDialog';
import type { StatusPrefill } from './StatusMappingForm';
import type { WitPrefill } from './WitMappingForm';

/** What a tab asks the hub to open: a form (new or edit, maybe prefilled) or a confirmation. */
export type HubAction =
  | { kind: 'level'; row: Hierarchy | null }
  | { kind: 'wit'; row: WitMapping | null; prefill?: WitPrefill }
  | { kind: 'step'; row: WorkflowStep | null }
  | { kind: 'status'; row: StatusMapping | null; prefill?: StatusPrefill }
  | { kind: 'reassign'; target: ReassignTarget }
  | { kind: 'deleteMapping'; target: DeleteMappingTarget };

/** What every table tab gets from the hub. */
export interface TabProps {
  /** Opens a form or a confirmation dialog. */
  open(action: HubAction): void;
  /** Runs a one-click change (activate, make commitment point); the hub shows its message or error. */
  run(rowId: number, change: () => Promise<MappingsChange>): void;
  /** The row whose one-click change is running (its buttons are disabled). */
  busyId: number | null;
}

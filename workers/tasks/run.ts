import { TaskReply, TaskRequest, taskDefs, type TaskName } from '../../shared/worker-protocol/tasks';
import { taskImpls, type TaskImpl } from './registry';

const issuesOf = (error: { issues: { path: PropertyKey[]; message: string }[] }): string =>
  error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');

/**
 * Runs one task request and returns the reply to post: validated request, validated input, the
 * implementation, validated output. Never throws; a failure is a reply saying what went wrong.
 */
export const runTaskRequest = async (raw: unknown): Promise<TaskReply> => {
  const request = TaskRequest.safeParse(raw);
  if (!request.success) return { ok: false, error: { kind: 'input', message: `The task request is invalid (${issuesOf(request.error)}); the engine and worker bundle may be from different versions.` } };
  const name: TaskName = request.data.task;
  const def = taskDefs[name];
  const input = def.input.safeParse(request.data.input);
  if (!input.success) return { ok: false, error: { kind: 'input', message: `Invalid input for task ${name}: ${issuesOf(input.error)}.` } };
  try {
    const impl = taskImpls[name] as TaskImpl<TaskName>;
    const output = def.output.safeParse(await impl(input.data as never));
    if (!output.success) return { ok: false, error: { kind: 'failed', message: `Task ${name} produced a result that breaks its schema: ${issuesOf(output.error)}.` } };
    return TaskReply.parse({ ok: true, output: output.data });
  } catch (error) {
    return { ok: false, error: { kind: 'failed', message: error instanceof Error ? error.message : String(error) } };
  }
};

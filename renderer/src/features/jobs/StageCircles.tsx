import { STAGE_LETTERS, type StageStatus } from './format';

const WORDS: Record<StageStatus, string> = {
  idle: 'not started',
  running: 'running',
  waiting: 'waiting',
  done: 'done',
  stopped: 'stopped before the end',
  off: 'off (no Qdrant configured)',
};

/** E T L V circles of one step; the state is also in the title and the text, not only the colour. */
export function StageCircles({ statuses }: { statuses: Record<(typeof STAGE_LETTERS)[number]['stage'], StageStatus> }) {
  return (
    <span className="stage-circles">
      {STAGE_LETTERS.map(({ stage, letter, label }) => (
        <span key={stage} className={`stage-circle stage-${statuses[stage]}`} title={`${label}: ${WORDS[statuses[stage]]}`} data-testid={`stage-${stage}`} data-status={statuses[stage]}>
          {letter}
          <span className="visually-hidden">
            {' '}
            {label} {WORDS[statuses[stage]]}
          </span>
        </span>
      ))}
    </span>
  );
}

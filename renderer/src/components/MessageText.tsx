/**
 * Engine messages mark commands with backticks ("start it with `sluice stack up`"); show those
 * as inline code. Plain text otherwise: messages are never parsed as HTML.
 */
export function MessageText({ text }: { text: string }) {
  const parts = text.split('`');
  // An odd number of backticks leaves the last one unmatched: keep the text as written.
  if (parts.length % 2 === 0) return <>{text}</>;
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}

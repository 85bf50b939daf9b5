import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron';

import type { AppOrigin } from '../app/origin';
import type { WindowRegistry } from '../app/window';

/**
 * Why a sender is not trusted, or null when it is. Trusted means all three: the webContents belongs
 * to a window we created, the message comes from that page's main frame (not an iframe), and the
 * frame currently shows our renderer (not a page it was navigated to).
 */
export const untrustedSenderReason = (
  event: IpcMainInvokeEvent | IpcMainEvent,
  windows: WindowRegistry,
  origin: AppOrigin,
): string | null => {
  const contents = event.sender;
  if (!windows.fromWebContents(contents)) return 'sender is not a window Sluice created';
  const frame = event.senderFrame;
  // null when the frame navigated away or was destroyed while the message was in flight.
  if (!frame) return 'sender frame is gone';
  const main = contents.mainFrame;
  if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) {
    return 'sender is a subframe';
  }
  if (!origin.isAppUrl(frame.url)) return 'sender page is not the Sluice renderer';
  return null;
};

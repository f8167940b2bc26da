// System notifications (the browser's Notification API; the desktop window allows them, a browser asks once).

/** Whether the user has not been asked yet (a browser; the desktop window allows them without asking). */
export const mayAskToNotify = (): boolean => typeof Notification !== 'undefined' && Notification.permission === 'default';

/** Asks to show system notifications; call it from a click, since a browser asks only on a user's gesture. */
export async function askToNotify(): Promise<void> {
  if (mayAskToNotify()) await Notification.requestPermission();
}

/** Shows one, replacing the last of the same tag; nothing when notifications are not allowed. */
export function notify(title: string, body: string, tag: string, onClick: () => void): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const n = new Notification(title, { body, tag });
  n.onclick = () => {
    window.focus();
    onClick();
  };
}

import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless. Without the background-networking flags it keeps calling out, and
 * this machine's closed network refuses it many times a second.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

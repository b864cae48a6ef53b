// Debian's Chromium for the browser tests (the Playwright download cannot
// reach its host here, and tests never download a browser). A missing
// browser fails the tests with a clear message: skipping would make a green
// CI run meaningless.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** HEARKEN_CHROMIUM overrides the path (another distribution, a local build). */
export const CHROMIUM_PATH = process.env.HEARKEN_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH))
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium; .ci/run does) ` +
        'or point HEARKEN_CHROMIUM at a Chromium executable. The browser tests never download one.',
    );
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

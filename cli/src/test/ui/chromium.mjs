// How both browser checks start Debian's Chromium: headless, as root (no sandbox), and with no
// calls home at start. CHROMIUM names the browser (default /usr/bin/chromium).
export const launchOptions = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

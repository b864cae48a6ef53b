// The care desk page (issue 14): static files built by scripts/build-desk.mjs
// into dist/desk during npm install, served by the API process itself (no
// second server). The page gets its own Content-Security-Policy: the API's
// "nothing at all" policy would block it, and a page that shows customers'
// words must not run anything but its own bundled script.
import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { HttpProblem, sendProblem } from './problem';

/** Where the build puts the page (one owner: scripts/build-desk.mjs writes here). */
export const DESK_DIST = path.resolve(import.meta.dirname, '../../../dist/desk');

/** No inline script or style, nothing from elsewhere; API calls and the event stream go to this origin. */
export const DESK_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function deskRouter(dist: string = DESK_DIST): Router {
  const router = express.Router();
  router.use('/desk', (req, res, next) => {
    res.setHeader('Content-Security-Policy', DESK_CSP);
    if (!fs.existsSync(path.join(dist, 'index.html'))) {
      sendProblem(
        res,
        new HttpProblem(503, 'Desk not built', 'the care desk is built by npm install (scripts/build-desk.mjs)'),
        req.originalUrl,
      );
      return;
    }
    // /desk and /desk/: the page; relative asset links need the trailing slash.
    if (req.path === '/' && !req.originalUrl.split('?')[0]!.endsWith('/')) {
      res.redirect(301, '/desk/');
      return;
    }
    next();
  });
  router.use('/desk', express.static(dist, { index: 'index.html', fallthrough: true, dotfiles: 'ignore' }));
  return router;
}

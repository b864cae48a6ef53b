// The /desk mount: its own strict CSP, the trailing-slash redirect, and a
// clear 503 when npm install has not built the page.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { DESK_CSP, deskRouter } from '../../src/api/http/desk';
import { tempDir } from '../helpers/temporal';

describe('desk static mount', () => {
  const servers: Array<{ close(): void }> = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  async function serve(dist: string): Promise<string> {
    const app = express();
    app.use(deskRouter(dist));
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((r) => server.once('listening', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('serves the built page with a CSP that allows only its own script and style', async () => {
    const dist = tempDir('desk-dist');
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>desk</title>');
    fs.writeFileSync(path.join(dist, 'app.js'), 'export {};');
    const url = await serve(dist);
    const page = await fetch(`${url}/desk/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>desk</title>');
    expect(page.headers.get('content-security-policy')).toBe(DESK_CSP);
    expect(DESK_CSP).toContain("script-src 'self'");
    expect(DESK_CSP).not.toMatch(/unsafe-(inline|eval)/);
    expect((await fetch(`${url}/desk/app.js`)).headers.get('content-security-policy')).toBe(DESK_CSP);
    const bare = await fetch(`${url}/desk`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/desk/');
  });

  it('answers 503 problem+json naming the build step when the page was not built', async () => {
    const url = await serve(path.join(tempDir('desk-none'), 'missing'));
    const res = await fetch(`${url}/desk/`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await res.text()).toContain('npm install');
  });
});

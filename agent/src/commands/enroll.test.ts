import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeServer } from '../testing/fake-server';
import { tempDir } from '../testing/helpers';
import { agentPaths } from '../config';
import { chooseDeviceName, enrollDevice } from './enroll';

describe('enrollment name', () => {
  it('uses the host name, made host-name-safe when the computer name is not one', () => {
    expect(chooseDeviceName(undefined, 'LT-ABEL-0042')).toBe('LT-ABEL-0042');
    expect(chooseDeviceName(undefined, 'Ana’s MacBook Pro')).toBe('Ana-s-MacBook-Pro');
    expect(chooseDeviceName(undefined, 'DESKTOP_01')).toBe('DESKTOP-01');
    expect(() => chooseDeviceName(undefined, '___')).toThrow(/pass --name/);
  });

  it('takes --name as given, and refuses one that is not a host name', () => {
    expect(chooseDeviceName(' kiosk-7 ', 'ignored')).toBe('kiosk-7');
    expect(() => chooseDeviceName('kiosk 7', 'ignored')).toThrow(/--name must be the device's host name: .*not " "/);
  });
});

describe('enrollDevice', () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = new FakeServer();
    await server.start();
  });
  afterAll(() => server.stop());

  it('refuses a bad --name before asking the server', async () => {
    const paths = agentPaths(tempDir());
    await expect(enrollDevice({ paths, server: server.url, token: 'enroll-token-0123456789', name: '<b>pc</b>' })).rejects.toThrow(/host name/);
    expect(server.devices.size).toBe(0);
  });
});

/** @module Server settings any signed-in caller may read. */
import { Settings } from '../index';
import { endpoint } from './endpoint';

export const settings = {
  get: endpoint({
    method: 'get',
    path: '/settings',
    summary: 'Server settings clients show: how many days finished executions and detection runs are kept before they are pruned',
    tag: 'Settings',
    auth: 'authenticated',
    response: Settings,
  }),
};

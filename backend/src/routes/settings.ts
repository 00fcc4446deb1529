/** @module Handlers of server settings. */
import { api } from '@fixpoint/protocol/api';
import { route } from '../http/route';
import { readSettings } from '../services/retention';

export const settingsRoutes = [route(api.settings.get, async ({ ctx }) => readSettings(ctx))];

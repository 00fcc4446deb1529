/** @module Background: holds the sign-in and talks to the backend for the launcher panels (see utils/background). */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../utils/background';

export default defineBackground(() => startBackground(browser));

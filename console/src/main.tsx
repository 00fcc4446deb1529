/** @module Console entry: starts the router and the session, then renders the app. */
import './zod-config';
import { render } from 'preact';
import { App } from './App';
import { startRouter } from './stores/router';
import { loadMe, watchSession } from './stores/session';
import './styles.css';

startRouter();
watchSession();
void loadMe();
render(<App />, document.getElementById('app')!);

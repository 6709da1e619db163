import { mount } from 'svelte';
import App from './App.svelte';
import { paintWindow } from './lib/api';
import { mark } from './lib/marks';
import { appData } from './lib/state/connections.svelte';
import { integrations } from './lib/state/integrations.svelte';
import { workspaces } from './lib/state/workspaces.svelte';
import { theme } from './lib/state/theme.svelte';
import './app.css';

mark('script'); // every module of the first screen is loaded and run

const target = document.getElementById('app');
if (!target) throw new Error('Patchbay: #app element missing from index.html');

// index.html holds a still skeleton of the first screen, drawn before any
// script runs; the app replaces it.
target.replaceChildren();
// The first screen loads before the page is built: its data is in the page
// (page_theme.go), so the first mount draws the cards, not an empty shell
// that waits for round trips to Go (each 30–70 ms while the page starts).
const firstScreen = appData.load();
void workspaces.load();
// The rail counts them from the start; the page reloads them when it opens.
void integrations.load();
const app = mount(App, { target, props: { firstScreen } });
mark('mounted');

// The window's own background follows the page (System included), so a
// reload never flashes the other theme.
theme.follow((dark) => void paintWindow(dark).catch(() => {}));

export default app;

import { mount } from 'svelte';
import App from './App.svelte';
import { paintWindow } from './lib/api';
import { theme } from './lib/state/theme.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('Patchbay: #app element missing from index.html');

// index.html holds a still skeleton of the first screen, drawn before any
// script runs; the app replaces it.
target.replaceChildren();
const app = mount(App, { target });

// The window's own background follows the page (System included), so a
// reload never flashes the other theme.
theme.follow((dark) => void paintWindow(dark).catch(() => {}));

export default app;

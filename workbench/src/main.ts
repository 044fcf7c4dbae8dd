/**
 * The workbench page: synthetic shadow first (the platform's components assume it), then the app shell.
 */
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import App from 'wb/app';

const app = createElement('wb-app', { is: App });
document.getElementById('workbench-root')?.appendChild(app);

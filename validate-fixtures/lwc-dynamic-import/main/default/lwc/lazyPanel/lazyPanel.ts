import { LightningElement } from 'lwc';

/**
 * BAD ON PURPOSE (validate fixture): loads a component with a dynamic import. Jest and the LWC OSS workbench
 * accept it; a deploy to Salesforce rejects it (LWC1503: dynamic imports are not allowed).
 */
export default class LazyPanel extends LightningElement {
    panelConstructor?: unknown;

    override async connectedCallback(): Promise<void> {
        const panel = await import('c/callHistory');
        this.panelConstructor = panel.default;
    }
}

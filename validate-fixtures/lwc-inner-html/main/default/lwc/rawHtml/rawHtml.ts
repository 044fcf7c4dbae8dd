import { LightningElement, api } from 'lwc';

/** BAD ON PURPOSE (validate fixture): writes caller-supplied markup into the DOM, an XSS sink. */
export default class RawHtml extends LightningElement {
    @api markup = '';

    override renderedCallback(): void {
        const target = this.template?.querySelector('div');
        if (target) {
            target.innerHTML = this.markup;
        }
    }
}

/**
 * Jest mock of `lightning/platformShowToastEvent`: a real event (`lightning__showtoast`) whose detail tests
 * can read from a listener on the component.
 */
export const ShowToastEvent = class extends CustomEvent {
    constructor(detail) {
        super('lightning__showtoast', { bubbles: true, composed: true, detail });
    }
};

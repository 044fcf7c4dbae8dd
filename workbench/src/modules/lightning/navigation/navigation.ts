/**
 * Workbench implementation of `lightning/navigation` (the platform's re-exports a `force/navigation` that only
 * exists in Salesforce). Navigation drives the workbench page (wb/shell): a record page reference shows that
 * record in a workspace tab, `standard__objectPage` with `new` opens the new-record form, web pages open in a
 * new window. `CurrentPageReference` follows the page.
 */
import { navigate, subscribeShell, urlOf, type PageReference } from 'wb/shell';

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

type Constructor<T = object> = new (...args: any[]) => T;

/** `NavigationMixin(LightningElement)`: adds `this[NavigationMixin.Navigate](pageReference, replace)`. */
export function NavigationMixin<T extends Constructor>(Base: T): T {
    return class extends Base {
        [Navigate](pageReference: PageReference, replace?: boolean): void {
            navigate(pageReference, replace === true);
        }
        [GenerateUrl](pageReference: PageReference): Promise<string> {
            return Promise.resolve(`${window.location.pathname}${urlOf(pageReference)}`);
        }
    };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** Wire adapter: `@wire(CurrentPageReference) pageReference;` gets the page now and after every navigation. */
export class CurrentPageReference {
    private unsubscribe: (() => void) | null = null;
    private last: PageReference | null = null;

    constructor(private readonly dataCallback: (reference: PageReference) => void) {}

    connect(): void {
        this.unsubscribe = subscribeShell((state) => {
            if (state.page === this.last) return;
            this.last = state.page;
            // a copy: the component may keep it
            this.dataCallback(JSON.parse(JSON.stringify(state.page)));
        });
    }

    disconnect(): void {
        this.unsubscribe?.();
        this.unsubscribe = null;
    }

    update(): void {
        // no configuration
    }
}

/**
 * The app's utility bar, from its utility bar flexipage (items, labels, icons, panel sizes, eager): a bar at
 * the bottom of the page and, above it, one docked panel per item. A package component in an item (the
 * WebPhone) is created at start when the item is eager, and kept alive when its panel is minimised, as in
 * Lightning; a lazy item's component is created when first opened. Items that are platform components
 * (Open CTI's softphone, the console history) get a panel saying what stands in for them here.
 * lightning/platformUtilityBarApi drives it through wb/shell: label, icon, highlight, open, minimise.
 */
import { LightningElement } from 'lwc';
import appConfig from 'wb/appConfig';
import packageComponents from 'wb/packageComponents';
import {
    clickUtility,
    initUtilityBar,
    minimizeUtility,
    shellState,
    subscribeShell,
    type UtilityItemState
} from 'wb/shell';

/** What a platform-only utility item is replaced by in the workbench. */
const STAND_INS: Record<string, string> = {
    'opencti:softPhone':
        "Open CTI softphone frame (the package's ccphoneOpenCti page). In the workbench, click-to-dial on a record page publishes the same `dial` message on the WebPhone message channel that this bridge page publishes in Salesforce.",
    'console:history': 'Console history: a Salesforce console utility, not part of the workbench.'
};

function packageComponentOf(componentName: string): string | null {
    const [, name] = /^(?:c|ccphone):(\w+)$/.exec(componentName) ?? [];
    return name && (packageComponents as Record<string, unknown>)[name] ? name : null;
}

let initialised = false;

export default class UtilityBar extends LightningElement {
    items: UtilityItemState[] = [];
    private opened = new Set<string>();
    private unsubscribe: (() => void) | null = null;

    constructor() {
        super();
        if (!initialised) {
            initialised = true;
            initUtilityBar(
                appConfig.app.utilityItems.map((item) => ({
                    id: item.id,
                    componentName: item.componentName,
                    label: item.label,
                    defaultLabel: item.label,
                    icon: item.icon,
                    width: item.width,
                    height: item.height,
                    eager: item.eager,
                    hostsComponent: packageComponentOf(item.componentName)
                }))
            );
        }
        this.items = shellState().utilityItems;
    }

    override connectedCallback(): void {
        this.unsubscribe = subscribeShell((state) => {
            for (const item of state.utilityItems) if (item.open) this.opened.add(item.id);
            this.items = state.utilityItems;
        });
    }

    override disconnectedCallback(): void {
        this.unsubscribe?.();
    }

    get buttons() {
        return this.items.map((item) => ({
            id: item.id,
            label: item.label,
            icon: `utility:${item.icon.replace(/^utility:/, '')}`,
            className: `slds-utility-bar__action utility-button${item.open ? ' slds-is-active' : ''}${item.highlighted ? ' utility-button_highlighted' : ''}`,
            expanded: item.open ? 'true' : 'false',
            highlighted: item.highlighted ? 'true' : 'false'
        }));
    }

    get panels() {
        return this.items.map((item) => {
            const hosted = item.hostsComponent;
            const created = !!hosted && (item.eager || item.open || this.opened.has(item.id));
            return {
                id: item.id,
                headerLabel: item.panelHeaderLabel || item.label,
                headerIcon: `utility:${(item.panelHeaderIcon || item.icon).replace(/^utility:/, '')}`,
                className: `slds-utility-panel slds-grid slds-grid_vertical utility-panel${item.open ? ' slds-is-open' : ' utility-panel_hidden'}`,
                style: `width: ${item.width}px; height: min(${item.height}px, calc(100vh - 6rem)); left: 0;`,
                hidden: item.open ? 'false' : 'true',
                ctor: created ? (packageComponents as Record<string, unknown>)[hosted] : null,
                standIn: hosted
                    ? ''
                    : (STAND_INS[item.componentName] ??
                      `${item.componentName}: not available in the workbench.`)
            };
        });
    }

    handleClick(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.utilityId;
        if (id) clickUtility(id);
    }

    handleMinimize(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.utilityId;
        if (id) minimizeUtility(id);
    }
}

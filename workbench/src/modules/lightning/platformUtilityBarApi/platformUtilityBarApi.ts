/**
 * Workbench implementation of `lightning/platformUtilityBarApi`: drives the workbench's utility bar
 * (wb/shell, rendered by wb/utilityBar) - label, icon, highlight, open/minimize, panel header and size.
 *
 * `getEnclosingUtilityId()` takes no argument on the platform, which knows the calling component; the
 * workbench cannot tell callers apart, so it answers with the item that hosts a package component (the
 * WebPhone). Every method resolves like the platform's (true / info objects) and rejects for an unknown id.
 */
import {
    addUtilityClickHandler,
    disablePopOut,
    minimizeUtility,
    openUtility,
    setPanelHeaderIcon as setHeaderIcon,
    setPanelHeaderLabel as setHeaderLabel,
    setPanelSize,
    setUtilityHighlighted as setHighlighted,
    setUtilityIcon as setIcon,
    setUtilityLabel as setLabel,
    shellState,
    subscribeShell,
    utilityItemHosting,
    type UtilityItemState
} from 'wb/shell';

function result(done: boolean, utilityId: string): Promise<boolean> {
    return done
        ? Promise.resolve(true)
        : Promise.reject(new Error(`Unknown utility id ${String(utilityId)}`));
}

function infoOf(item: UtilityItemState) {
    return {
        id: item.id,
        isPoppedOut: false,
        panelHeaderIcon: item.panelHeaderIcon,
        panelHeaderLabel: item.panelHeaderLabel,
        utilityHighlighted: item.highlighted,
        utilityIcon: item.icon,
        utilityLabel: item.label,
        utilityVisible: item.open
    };
}

export function getEnclosingUtilityId(): Promise<string | undefined> {
    return Promise.resolve(utilityItemHosting()?.id);
}

export function getAllUtilityInfo(): Promise<unknown[]> {
    return Promise.resolve(shellState().utilityItems.map(infoOf));
}

export function getUtilityInfo(utilityId: string): Promise<unknown> {
    const item = shellState().utilityItems.find((candidate) => candidate.id === utilityId);
    return item
        ? Promise.resolve(infoOf(item))
        : Promise.reject(new Error(`Unknown utility id ${String(utilityId)}`));
}

export function open(utilityId: string, _options?: Record<string, unknown>): Promise<boolean> {
    return result(openUtility(utilityId), utilityId);
}

export function minimize(utilityId: string): Promise<boolean> {
    return result(minimizeUtility(utilityId), utilityId);
}

export function setUtilityLabel(utilityId: string, label: string): Promise<boolean> {
    return result(setLabel(utilityId, label), utilityId);
}

export function setUtilityHighlighted(
    utilityId: string,
    highlighted: boolean,
    _options?: Record<string, unknown>
): Promise<boolean> {
    return result(setHighlighted(utilityId, highlighted), utilityId);
}

export function setUtilityIcon(
    utilityId: string,
    icon: string,
    _options?: Record<string, unknown>
): Promise<boolean> {
    return result(setIcon(utilityId, icon), utilityId);
}

export function setPanelHeaderLabel(utilityId: string, label: string): Promise<boolean> {
    return result(setHeaderLabel(utilityId, label), utilityId);
}

export function setPanelHeaderIcon(
    utilityId: string,
    icon: string,
    _options?: Record<string, unknown>
): Promise<boolean> {
    return result(setHeaderIcon(utilityId, icon), utilityId);
}

export function setPanelWidth(utilityId: string, width: number): Promise<boolean> {
    return result(setPanelSize(utilityId, { width }), utilityId);
}

export function setPanelHeight(utilityId: string, height: number): Promise<boolean> {
    return result(setPanelSize(utilityId, { height }), utilityId);
}

export function onUtilityClick(utilityId: string, handler: (event: unknown) => void): Promise<boolean> {
    return result(addUtilityClickHandler(utilityId, handler), utilityId);
}

export function disableUtilityPopOut(utilityId: string, disabled: boolean): Promise<boolean> {
    return result(disablePopOut(utilityId, disabled), utilityId);
}

export function toggleModalMode(_utilityId: string, _enableModalMode: boolean): Promise<boolean> {
    return Promise.resolve(true);
}

/** Wire adapter `@wire(EnclosingUtilityId) utilityId;`. */
export class EnclosingUtilityId {
    private unsubscribe: (() => void) | null = null;
    constructor(private readonly dataCallback: (id: string | undefined) => void) {}
    connect(): void {
        let last: string | undefined | null = null;
        this.unsubscribe = subscribeShell(() => {
            const id = utilityItemHosting()?.id;
            if (id !== last) {
                last = id;
                this.dataCallback(id);
            }
        });
    }
    disconnect(): void {
        this.unsubscribe?.();
    }
    update(): void {
        // no configuration
    }
}

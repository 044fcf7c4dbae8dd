/**
 * The BroadcastChannel of the tab election (B1): `ElectionChannel` is the one owner of this window's channel,
 * opened under the secret's channel name when the window joins and closed when it leaves or runs degraded.
 * Every message goes out stamped with the protocol version, this window's id and kind; what comes in is handed
 * to {@link TabElection} (tab-election.ts) unparsed.
 */
import {
    PROTOCOL,
    type Body,
    type BroadcastChannelFactory,
    type BroadcastChannelPort,
    type WindowKind
} from './tab-protocol';

/** This window's election channel; see the module documentation. */
export class ElectionChannel {
    private readonly tabId: string;
    private readonly kind: WindowKind;
    private channel: BroadcastChannelPort | null = null;
    private readonly onChannelMessage: (event: { data: unknown }) => void;

    constructor(tabId: string, kind: WindowKind, receive: (data: unknown) => void) {
        this.tabId = tabId;
        this.kind = kind;
        this.onChannelMessage = (event: { data: unknown }): void => receive(event?.data);
    }

    /** Open the channel `name` and listen on it; false when the browser refused (no channel is kept). */
    open(createChannel: BroadcastChannelFactory, name: string): boolean {
        try {
            this.channel = createChannel(name);
            this.channel.addEventListener('message', this.onChannelMessage);
            return true;
        } catch {
            this.channel = null;
            return false;
        }
    }

    /** Post a message to the other windows; false without a channel or when it could not be posted. */
    post(body: Body): boolean {
        if (!this.channel) return false;
        try {
            this.channel.postMessage({ ...body, p: PROTOCOL, from: this.tabId, kind: this.kind });
            return true;
        } catch {
            return false; // closed channel or a snapshot that cannot be cloned
        }
    }

    /** Stop listening and close the channel (nothing when none is open). */
    close(): void {
        const channel = this.channel;
        this.channel = null;
        if (!channel) return;
        try {
            channel.removeEventListener('message', this.onChannelMessage);
            channel.close();
        } catch {
            // already closed
        }
    }
}

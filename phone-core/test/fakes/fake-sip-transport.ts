/**
 * In-memory sip.js Transport for unit tests, wired to the scripted SIP server of ./fake-sip-server.
 *
 * {@link FakeSipTransport} implements sip.js's `Transport` interface and its state machine (Connecting,
 * Connected, Disconnecting, Disconnected; onConnect/onDisconnect exactly as the WebSocket transport calls them).
 * Pass it as `transportOptions: { server: <url>, network: <FakeSipServer> }` with it as `transportConstructor`.
 */
import { EmitterImpl, TransportState } from 'sip.js';
import type { Emitter, Transport } from 'sip.js';
import type { FakeSipServer } from './fake-sip-server';
import { later } from './fake-sip-wire';

/** Options the UA passes to the fake transport's constructor (`transportOptions`). */
export interface FakeTransportOptions {
    server: string;
    network: FakeSipServer;
}

/** sip.js `Transport` in memory; see the module documentation. */
export class FakeSipTransport implements Transport {
    readonly protocol = 'WSS';
    onConnect: (() => void) | undefined;
    onDisconnect: ((error?: Error) => void) | undefined;
    onMessage: ((message: string) => void) | undefined;
    /** Connection number given by the server on each successful connect (0 = never connected). */
    connectionId = 0;
    readonly url: string;
    private currentState: TransportState = TransportState.Disconnected;
    private readonly emitter = new EmitterImpl<TransportState>();
    private readonly network: FakeSipServer;
    private connectPromise: Promise<void> | undefined;
    private connectSettle: ((error?: Error) => void) | undefined;
    private disconnectPromise: Promise<void> | undefined;
    private disconnectResolve: (() => void) | undefined;

    constructor(_logger: unknown, options: FakeTransportOptions) {
        if (!options?.network) {
            throw new Error('FakeSipTransport needs transportOptions.network (a FakeSipServer)');
        }
        this.url = options.server;
        this.network = options.network;
        this.network.attach(this);
    }

    get state(): TransportState {
        return this.currentState;
    }

    get stateChange(): Emitter<TransportState> {
        return this.emitter;
    }

    isConnected(): boolean {
        return this.currentState === TransportState.Connected;
    }

    connect(): Promise<void> {
        switch (this.currentState) {
            case TransportState.Connected:
                return Promise.resolve();
            case TransportState.Connecting:
                return this.connectPromise ?? Promise.resolve();
            default:
                break;
        }
        if (this.currentState === TransportState.Disconnecting) {
            // like the WebSocket transport: a new socket replaces one whose close never finished
            this.finishDisconnect(false);
        }
        this.connectPromise = new Promise<void>((resolve, reject) => {
            this.connectSettle = (error) => (error ? reject(error) : resolve());
        });
        const promise = this.connectPromise;
        this.transition(TransportState.Connecting);
        this.network.connectRequested(this);
        return promise;
    }

    disconnect(): Promise<void> {
        switch (this.currentState) {
            case TransportState.Disconnected:
                return Promise.resolve();
            case TransportState.Disconnecting:
                return this.disconnectPromise ?? Promise.resolve();
            default:
                break;
        }
        const wasConnecting = this.currentState === TransportState.Connecting;
        this.disconnectPromise = new Promise<void>((resolve) => {
            this.disconnectResolve = resolve;
        });
        const promise = this.disconnectPromise;
        this.transition(TransportState.Disconnecting);
        if (wasConnecting) {
            this.settleConnect(new Error('Connect aborted.'));
        }
        if (!this.network.closeNeverCompletes) {
            later(() => this.finishDisconnect(true));
        }
        return promise;
    }

    dispose(): Promise<void> {
        return this.disconnect();
    }

    send(message: string): Promise<void> {
        if (this.currentState !== TransportState.Connected) {
            return Promise.reject(new Error('Not connected.'));
        }
        this.network.receiveFromUa(message, this, this.connectionId);
        return Promise.resolve();
    }

    // ---- driven by the server ----

    /** Completes a pending connect (ok) or fails it. */
    completeConnect(ok: boolean, connectionId: number): void {
        if (this.currentState !== TransportState.Connecting) {
            return;
        }
        if (ok) {
            this.connectionId = connectionId;
            this.transition(TransportState.Connected);
            this.settleConnect();
        } else {
            this.transition(TransportState.Disconnected);
            this.settleConnect(new Error('WebSocket connection refused'));
        }
    }

    /** The network dropped the socket (close code 1006): onDisconnect with an error. */
    drop(reason = 'WebSocket closed (code: 1006)'): void {
        if (this.currentState === TransportState.Connected) {
            this.transition(TransportState.Disconnected, new Error(reason));
        }
    }

    /** A message from the server; dropped when the socket is gone or another connection is current. */
    deliver(raw: string, connectionId?: number): boolean {
        if (this.currentState !== TransportState.Connected) {
            return false;
        }
        if (connectionId !== undefined && connectionId !== this.connectionId) {
            return false;
        }
        this.onMessage?.(raw);
        return true;
    }

    private finishDisconnect(resolveOnly: boolean): void {
        if (this.currentState === TransportState.Disconnecting && resolveOnly) {
            this.transition(TransportState.Disconnected);
        }
        const resolve = this.disconnectResolve;
        this.disconnectResolve = undefined;
        this.disconnectPromise = undefined;
        resolve?.();
    }

    private settleConnect(error?: Error): void {
        const settle = this.connectSettle;
        this.connectSettle = undefined;
        this.connectPromise = undefined;
        settle?.(error);
    }

    private transition(to: TransportState, error?: Error): void {
        const from = this.currentState;
        this.currentState = to;
        this.emitter.emit(to);
        if (to === TransportState.Connected) {
            this.onConnect?.();
        }
        if (from === TransportState.Connected) {
            if (error) {
                this.onDisconnect?.(error);
            } else {
                this.onDisconnect?.();
            }
        }
    }
}

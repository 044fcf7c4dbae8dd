import { Emitter } from '../src/util/emitter';
import { systemClock } from '../src/util/clock';

type Events = { change: { to: string }; closed: undefined; count: number };

describe('Emitter', () => {
    it('delivers payloads to listeners in registration order', () => {
        const emitter = new Emitter<Events>();
        const seen: string[] = [];
        emitter.on('change', (e) => seen.push(`a:${e.to}`));
        emitter.on('change', (e) => seen.push(`b:${e.to}`));
        emitter.emit('change', { to: 'Ready' });
        expect(seen).toEqual(['a:Ready', 'b:Ready']);
    });

    it('on() returns an unsubscribe function that can be called twice', () => {
        const emitter = new Emitter<Events>();
        const listener = jest.fn();
        const off = emitter.on('count', listener);
        emitter.emit('count', 1);
        off();
        off();
        emitter.emit('count', 2);
        expect(listener).toHaveBeenCalledTimes(1);
        expect(listener).toHaveBeenCalledWith(1);
        expect(emitter.listenerCount()).toBe(0);
    });

    it('off() removes a listener; unknown listeners are ignored', () => {
        const emitter = new Emitter<Events>();
        const listener = jest.fn();
        emitter.on('count', listener);
        emitter.off('count', jest.fn());
        emitter.off('closed', jest.fn());
        emitter.off('count', listener);
        emitter.emit('count', 3);
        expect(listener).not.toHaveBeenCalled();
    });

    it('once() fires a single time and can be cancelled before firing', () => {
        const emitter = new Emitter<Events>();
        const once = jest.fn();
        const cancelled = jest.fn();
        emitter.once('count', once);
        const cancel = emitter.once('count', cancelled);
        cancel();
        emitter.emit('count', 1);
        emitter.emit('count', 2);
        expect(once).toHaveBeenCalledTimes(1);
        expect(once).toHaveBeenCalledWith(1);
        expect(cancelled).not.toHaveBeenCalled();
    });

    it('registers the same function once per event', () => {
        const emitter = new Emitter<Events>();
        const listener = jest.fn();
        emitter.on('count', listener);
        emitter.on('count', listener);
        emitter.emit('count', 1);
        expect(listener).toHaveBeenCalledTimes(1);
        expect(emitter.listenerCount('count')).toBe(1);
    });

    it('a throwing listener neither stops the others nor the emitter, and is reported to the hook', () => {
        const errors: Array<[unknown, string]> = [];
        const emitter = new Emitter<Events>({ onListenerError: (error, name) => errors.push([error, name]) });
        const after = jest.fn();
        const boom = new Error('boom');
        emitter.on('change', () => {
            throw boom;
        });
        emitter.on('change', after);
        expect(() => emitter.emit('change', { to: 'Busy' })).not.toThrow();
        expect(after).toHaveBeenCalledTimes(1);
        expect(errors).toEqual([[boom, 'change']]);
    });

    it('swallows listener errors without a hook, and survives a throwing hook', () => {
        const quiet = new Emitter<Events>();
        quiet.on('closed', () => {
            throw new Error('x');
        });
        expect(() => quiet.emit('closed', undefined)).not.toThrow();

        const loud = new Emitter<Events>({
            onListenerError: () => {
                throw new Error('hook failed');
            }
        });
        const after = jest.fn();
        loud.on('closed', () => {
            throw new Error('x');
        });
        loud.on('closed', after);
        expect(() => loud.emit('closed', undefined)).not.toThrow();
        expect(after).toHaveBeenCalled();
    });

    it('listeners added or removed during an emit take effect from the next emit', () => {
        const emitter = new Emitter<Events>();
        const late = jest.fn();
        const second = jest.fn();
        let offSecond = (): void => undefined;
        emitter.on('count', () => {
            emitter.on('count', late);
            offSecond();
        });
        offSecond = emitter.on('count', second);
        emitter.emit('count', 1);
        expect(late).not.toHaveBeenCalled();
        expect(second).toHaveBeenCalledTimes(1);
        emitter.emit('count', 2);
        expect(late).toHaveBeenCalledWith(2);
        expect(second).toHaveBeenCalledTimes(1);
    });

    it('removeAllListeners clears one event or all', () => {
        const emitter = new Emitter<Events>();
        emitter.on('count', jest.fn());
        emitter.on('closed', jest.fn());
        emitter.removeAllListeners('count');
        expect(emitter.listenerCount('count')).toBe(0);
        expect(emitter.listenerCount()).toBe(1);
        emitter.removeAllListeners();
        expect(emitter.listenerCount()).toBe(0);
        expect(() => emitter.emit('count', 1)).not.toThrow();
    });
});

describe('systemClock', () => {
    afterEach(() => jest.useRealTimers());

    it('uses the global timers and Date.now (driven by Jest fake timers)', () => {
        jest.useFakeTimers({ now: 1_000 });
        const fired = jest.fn();
        expect(systemClock.now()).toBe(1_000);
        systemClock.setTimeout(fired, 500);
        const cancelled = jest.fn();
        const handle = systemClock.setTimeout(cancelled, 500);
        systemClock.clearTimeout(handle);
        jest.advanceTimersByTime(500);
        expect(fired).toHaveBeenCalledTimes(1);
        expect(cancelled).not.toHaveBeenCalled();
        expect(systemClock.now()).toBe(1_500);
    });
});

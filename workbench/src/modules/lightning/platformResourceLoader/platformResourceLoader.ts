/**
 * Workbench implementation of `lightning/platformResourceLoader`: a `<script>` / `<link>` per URL, loaded once
 * per page whichever component asks (the platform's promise semantics). The workbench server serves static
 * resources under `/resource/<name>` from the package's own files (the `webphoneCore` the package ships).
 */
const loaded = new Map<string, Promise<void>>();

function load(url: string, create: () => HTMLScriptElement | HTMLLinkElement): Promise<void> {
    let promise = loaded.get(url);
    if (!promise) {
        promise = new Promise<void>((resolve, reject) => {
            const element = create();
            element.addEventListener('load', () => resolve());
            element.addEventListener('error', () => {
                loaded.delete(url);
                reject(new Error(`Could not load ${url}`));
            });
            document.head.appendChild(element);
        });
        loaded.set(url, promise);
    }
    return promise;
}

export function loadScript(_component: unknown, url: string): Promise<void> {
    return load(url, () => {
        const script = document.createElement('script');
        script.src = url;
        script.async = false;
        return script;
    });
}

export function loadStyle(_component: unknown, url: string): Promise<void> {
    return load(url, () => {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = url;
        return link;
    });
}

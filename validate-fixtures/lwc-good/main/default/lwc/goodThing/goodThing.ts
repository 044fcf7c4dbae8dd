import { LightningElement, api } from 'lwc';

interface IncrementDetail {
    count: number;
}

/** A small, correct TypeScript component: every LWC and metadata validate stage must accept it. */
export default class GoodThing extends LightningElement {
    @api label = 'Calls';
    count = 0;

    get summary(): string {
        return `${this.label}: ${this.count}`;
    }

    handleClick(): void {
        this.count += 1;
        const detail: IncrementDetail = { count: this.count };
        this.dispatchEvent(new CustomEvent<IncrementDetail>('increment', { detail }));
    }
}

// Typed usage of cartlift, compiled by `tsc --noEmit` in tests/node/run.sh against the committed index.d.ts.
import { Engine, CartliftError, CrossSellResponse, ReportResponse, TrainRequest, ERROR_CODES } from 'cartlift';

async function main(): Promise<void> {
  const request: TrainRequest = {
    products: [
      { id: '1', title: 'Phone', price: '299.00' },
      { id: '2', title: 'Case', price: 20 },
    ],
    orders: 'orders.jsonl',
    config: { currency: 'EUR' },
  };
  const engine: Engine = await Engine.train(request);
  const answer: CrossSellResponse = engine.crossSell({
    cart: ['1', { product_id: '2', quantity: 2, price: '18.00' }],
    placement: 'checkout',
    customer_id: '12345678901234567890',
    device: 'mobile',
    limit: 4,
    filters: { max_price: '50.00' },
  });
  for (const r of answer.recommendations) {
    const price: string = r.price;
    console.log(r.product_id, price, r.reasons.map((x) => x.code).join(','));
  }
  // Experiments: an integer id is read as its decimal text; the report is typed down to each lift.
  const experiments = [{ id: 'recs', variants: [{ id: 'off', weight: 1, control: true }, { id: 'on', weight: 1 }] }];
  const variant: string = engine.assign({ experiments, experiment: 'recs', visitor_id: 42 }).variant;
  const report: ReportResponse = engine.report({ experiments, events: [] });
  for (const v of report.experiments[0].variants) {
    const lift: number | null = v.aov_lift?.relative ?? null;
    console.log(variant, v.variant, v.aov ?? '-', v.conversion_rate_ci?.[0], lift, v.power?.more_visitors_needed);
  }
  const copy: Engine = Engine.fromBuffer(engine.toBuffer());
  const updated: Engine = copy.updateProducts([{ id: '2', price: '17.50', inventory: null }]);
  updated.save('/tmp/model.cartlift');
  try {
    Engine.load('/tmp/missing.cartlift');
  } catch (e) {
    const err = e as CartliftError;
    if (ERROR_CODES.includes(err.code)) console.log(err.code, err.field ?? '', err.line ?? 0);
  }
}

void main();

// The shop's glue: sends shopper events (the widget's `cartlift` events and product views) to the server's log,
// and cart actions to the server. The page is rendered on the server, so after a change it simply reloads.
(() => {
  'use strict';

  async function post(url, body) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return res.json();
  }

  /** Shopper events go as beacons: they are delivered even when the page navigates away right after. */
  function logEvent(event) {
    navigator.sendBeacon('/events', new Blob([JSON.stringify(event)], { type: 'application/json' }));
  }

  /** Add `[{product_id, quantity, list_id?}]` to the cart, logging an `add_to_cart` event per product (with the
   * recommendation list it came from, if any, for attribution). */
  async function addToCart(items) {
    for (const { product_id, list_id } of items) logEvent({ type: 'add_to_cart', product_id, ...(list_id ? { list_id } : {}) });
    await post('/cart/add', { items: items.map(({ product_id, quantity }) => ({ product_id, quantity })) });
    location.reload();
  }

  // The widget's events: all logged; an add to cart also changes the cart.
  document.addEventListener('cartlift', (e) => {
    const event = e.detail;
    if (event.type === 'add_to_cart') addToCart([{ product_id: event.product_id, quantity: 1, list_id: event.list_id }]);
    else logEvent(event);
  });

  const actions = {
    'add-to-cart': (b) => addToCart(b.dataset.items ? JSON.parse(b.dataset.items) : [{ product_id: b.dataset.productId, quantity: 1 }]),
    'set-quantity': async (b) => {
      await post('/cart/set', { items: [{ product_id: b.dataset.productId, quantity: Number(b.dataset.quantity) }] });
      location.reload();
    },
    'place-order': async () => {
      const { order_id } = await post('/order', {});
      location.assign(`/order/${order_id}`);
    },
  };

  // Buttons the server rendered; the widget's own buttons speak through `cartlift` events instead.
  document.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-cartlift-action]');
    if (!button || button.closest('cartlift-recommendations')) return;
    const action = actions[button.dataset.cartliftAction];
    if (!action) return;
    button.disabled = true;
    action(button);
  });

  const product = document.querySelector('article.product[data-product-id]');
  if (product) logEvent({ type: 'view', product_id: product.dataset.productId });
})();

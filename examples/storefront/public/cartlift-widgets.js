// <cartlift-recommendations>: renders a cartlift cross_sell answer the server already put in the page, as
//
//   <cartlift-recommendations list-id="cart-1f3a" currency-symbol="$">
//     <script type="application/json">{"heading": "...", "placement": "cart", "recommendations": [...]}</script>
//   </cartlift-recommendations>
//
// No fetch, no framework, no build step. It tells the page what the shopper does with `cartlift` DOM events whose
// `detail` is already an event of cartlift's schema (docs/measurement.md, minus `at` and `visitor_id`, which the
// server knows): `impression` when shown, `click` on a product link, `add_to_cart` and `decline` on the buttons.
// The page decides what to do with them (log them, add to its cart). A declined product disappears at once.
// The impression is sent when the element upgrades: listen for `cartlift` events before this script runs.
(() => {
  'use strict';

  function el(tag, props = {}, children = []) {
    const node = Object.assign(document.createElement(tag), props);
    for (const child of children) node.append(child);
    return node;
  }

  class CartliftRecommendations extends HTMLElement {
    connectedCallback() {
      const source = this.querySelector('script[type="application/json"]');
      if (!source || this.rendered) return;
      this.rendered = true;
      this.answer = JSON.parse(source.textContent);
      this.listId = this.getAttribute('list-id') || '';
      this.render();
      if (this.answer.recommendations.length) this.impression();
    }

    shownIds() {
      return [...this.querySelectorAll('li[data-product-id]')].map((li) => li.dataset.productId);
    }

    /** A `cartlift` event naming this list, bubbling to the page. */
    emit(event) {
      this.dispatchEvent(new CustomEvent('cartlift', { detail: { ...event, list_id: this.listId }, bubbles: true }));
    }

    /** What was shown, where, and in which variant of the experiment (when the answer was given in one). */
    impression() {
      const { placement, experiment } = this.answer;
      const event = { type: 'impression', placement, product_ids: this.shownIds() };
      if (experiment?.variant) Object.assign(event, { experiment: experiment.id, variant: experiment.variant });
      this.emit(event);
    }

    render() {
      const { heading, recommendations } = this.answer;
      this.hidden = recommendations.length === 0;
      const symbol = this.getAttribute('currency-symbol') || '';
      const href = this.getAttribute('product-href') || '/product/{id}';
      const titleId = `${this.listId}-h`;
      const items = recommendations.map((r) => this.item(r, symbol, href));
      this.replaceChildren(
        el('section', { className: 'cartlift-recs' }, [
          el('h2', { id: titleId, textContent: heading }),
          el('ul', {}, items),
        ]),
      );
      this.querySelector('section').setAttribute('aria-labelledby', titleId);
    }

    item(rec, symbol, href) {
      const link = el('a', { href: href.replace('{id}', encodeURIComponent(rec.product_id)), textContent: rec.title });
      link.addEventListener('click', () => this.emit({ type: 'click', product_id: rec.product_id }));
      const add = el('button', { type: 'button', textContent: 'Add to cart' });
      add.dataset.cartliftAction = 'add-to-cart';
      add.setAttribute('aria-label', `Add to cart: ${rec.title}`);
      add.addEventListener('click', () => this.emit({ type: 'add_to_cart', product_id: rec.product_id }));
      const li = el('li');
      li.dataset.productId = rec.product_id;
      const decline = el('button', { type: 'button', className: 'decline', textContent: 'Not interested' });
      decline.dataset.cartliftAction = 'decline';
      decline.setAttribute('aria-label', `Not interested: ${rec.title}`);
      decline.addEventListener('click', () => {
        this.emit({ type: 'decline', product_id: rec.product_id });
        li.remove();
        this.hidden = !this.querySelector('li[data-product-id]');
      });
      const reasons = rec.reasons.map((r) => r.text).join(' · ');
      li.append(
        el('span', { className: 'title' }, [link]),
        // The engine's decimal string, shown as it is: no arithmetic on money in the browser.
        el('span', { className: 'price', textContent: `${symbol}${rec.price}` }),
        el('span', { className: 'reasons', textContent: reasons }),
        el('span', { className: 'actions' }, [add, decline]),
      );
      return li;
    }
  }

  if (!customElements.get('cartlift-recommendations')) {
    customElements.define('cartlift-recommendations', CartliftRecommendations);
  }
})();

// Tea shop checkout: cart (GET /api/cart) -> delivery address -> "Place order" (POST /api/orders)
// -> confirmation.
//
// BUG (double submit): nothing stops a second submit while the first order is in flight. A double
// click on "Place order" sends two identical POSTs; the server creates the order for the first one
// and answers the second with 409 Conflict. The response handler assumes every answer carries an
// `order`, so on the 409 it throws "Cannot read properties of undefined (reading 'id')", and the
// page ends up showing the confirmation and an error banner at the same time.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var banner = $('banner');
  var cartStep = $('cart-step');
  var form = $('address-step');
  var placeButton = $('place-order');
  var confirmation = $('confirmation');
  var cart = null;

  function money(cents) {
    return '$' + (cents / 100).toFixed(2);
  }

  function showBanner(text) {
    banner.textContent = text;
    banner.hidden = false;
  }

  // Last-resort handler, as many apps have: anything that escapes shows a generic message.
  window.addEventListener('error', function () {
    showBanner('Something went wrong. Please try again.');
  });
  window.addEventListener('unhandledrejection', function () {
    showBanner('Something went wrong. Please try again.');
  });

  function renderCart(data) {
    cart = data;
    var body = $('cart-items');
    body.textContent = '';
    var total = 0;
    data.items.forEach(function (item) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-sku', item.sku);
      [item.name, String(item.qty), money(item.qty * item.price_cents)].forEach(function (text, i) {
        var td = document.createElement('td');
        if (i > 0) td.className = 'num';
        td.textContent = text;
        tr.appendChild(td);
      });
      body.appendChild(tr);
      total += item.qty * item.price_cents;
    });
    $('cart-total').textContent = money(total);
    $('cart-table').hidden = false;
    $('cart-status').textContent = data.items.length + ' items in your cart';
    $('to-address').disabled = false;
  }

  async function loadCart() {
    var res = await fetch('/api/cart');
    if (!res.ok) {
      $('cart-status').textContent = 'Could not load your cart (' + res.status + ')';
      return;
    }
    renderCart(await res.json());
  }

  $('to-address').addEventListener('click', function () {
    cartStep.hidden = true;
    form.hidden = false;
    $('name').focus();
  });

  function orderRequest() {
    return {
      cart_id: cart.id,
      items: cart.items.map(function (item) { return { sku: item.sku, qty: item.qty }; }),
      shipping: {
        name: $('name').value.trim(),
        email: $('email').value.trim(),
        street: $('street').value.trim(),
        postcode: $('postcode').value.trim(),
        city: $('city').value.trim()
      }
    };
  }

  function showConfirmation(data, request) {
    form.hidden = true;
    confirmation.hidden = false;
    $('confirm-title').textContent = 'Thank you, ' + request.shipping.name.split(' ')[0] + '!';
    $('order-id').textContent = data.order.id;
    $('order-total').textContent = money(data.order.total_cents);
  }

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    placeButton.textContent = 'Placing order\u2026';
    var request = orderRequest();
    var res = await fetch('/api/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request)
    });
    var data = await res.json();
    showConfirmation(data, request);
  });

  loadCart();
})();

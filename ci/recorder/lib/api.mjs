// The demo apps' JSON APIs, with the latencies that make the bugs happen while recording.
// Each app gets fresh state per server (one server per recording run).

const json = (status, body, latencyMs) => ({ status, body, latencyMs });

// --- search ---------------------------------------------------------------------------------

export const PLANTS = [
  ['Asparagus fern', 'Asparagus setaceus'],
  ['Blue fescue', 'Festuca glauca'],
  ['Boston fern', 'Nephrolepis exaltata'],
  ['Feather reed grass', 'Calamagrostis acutiflora'],
  ['Fennel', 'Foeniculum vulgare'],
  ['Feverfew', 'Tanacetum parthenium'],
  ['Fiddle-leaf fig', 'Ficus lyrata'],
  ['Foxglove', 'Digitalis purpurea'],
  ['Jade plant', 'Crassula ovata'],
  ['Lavender', 'Lavandula angustifolia'],
  ['Maidenhair fern', 'Adiantum raddianum'],
  ['Monstera', 'Monstera deliciosa'],
  ['Peace lily', 'Spathiphyllum wallisii'],
  ['Rosemary', 'Salvia rosmarinus'],
  ['Snake plant', 'Dracaena trifasciata'],
  ['Spider plant', 'Chlorophytum comosum'],
  ['Staghorn fern', 'Platycerium bifurcatum'],
].map(([name, latin], i) => ({ id: i + 1, name, latin }));

// Per-query latency: "fe" is slow (think: a cold cache for a broad two-letter prefix), so its
// answer arrives after the answers for "fer" and "fern" typed ~120 ms apart.
export const SEARCH_LATENCY_MS = { fe: 900 };
export const SEARCH_DEFAULT_LATENCY_MS = 100;

// A plant matches when a word of its common name starts with the query (case-insensitive).
export function searchPlants(q) {
  const needle = q.trim().toLowerCase();
  if (!needle) return [];
  return PLANTS.filter((p) => p.name.toLowerCase().split(/[\s-]+/).some((w) => w.startsWith(needle)));
}

function searchApi() {
  return (req, url) => {
    if (req.method === 'GET' && url.pathname === '/api/search') {
      const q = url.searchParams.get('q') ?? '';
      const latency = SEARCH_LATENCY_MS[q.trim().toLowerCase()] ?? SEARCH_DEFAULT_LATENCY_MS;
      return json(200, { query: q, results: searchPlants(q) }, latency);
    }
    return null;
  };
}

// --- checkout -------------------------------------------------------------------------------

export const CART = {
  id: 'cart-42',
  currency: 'USD',
  items: [
    { sku: 'TEA-SEN-100', name: 'Sencha green tea, 100 g', qty: 2, price_cents: 650 },
    { sku: 'POT-CER-1', name: 'Ceramic teapot', qty: 1, price_cents: 2400 },
    { sku: 'SCP-BAM', name: 'Bamboo tea scoop', qty: 1, price_cents: 390 },
  ],
};
export const CART_LATENCY_MS = 150;
export const ORDER_LATENCY_MS = 400;

function checkoutApi() {
  const placed = new Map(); // cart id -> order id
  let nextOrder = 1001;
  return (req, url, body) => {
    if (req.method === 'GET' && url.pathname === '/api/cart') {
      return json(200, CART, CART_LATENCY_MS);
    }
    if (req.method === 'POST' && url.pathname === '/api/orders') {
      let order;
      try {
        order = JSON.parse(body.toString('utf8'));
      } catch {
        return json(400, { error: 'bad_request', message: 'The order is not valid JSON.' }, ORDER_LATENCY_MS);
      }
      if (order.cart_id !== CART.id) {
        return json(404, { error: 'unknown_cart', message: `No cart ${order.cart_id}.` }, ORDER_LATENCY_MS);
      }
      if (placed.has(order.cart_id)) {
        // Decided when the request arrives: the second of two identical POSTs is a duplicate.
        return json(409, {
          error: 'duplicate_order',
          message: `An order for cart ${order.cart_id} has already been placed.`,
          order_id: placed.get(order.cart_id),
        }, ORDER_LATENCY_MS);
      }
      const id = `ORD-${nextOrder++}`;
      placed.set(order.cart_id, id);
      const total = CART.items.reduce((sum, it) => sum + it.qty * it.price_cents, 0);
      return json(201, {
        order: { id, status: 'confirmed', cart_id: CART.id, total_cents: total, currency: CART.currency },
      }, ORDER_LATENCY_MS);
    }
    return null;
  };
}

export const APIS = { search: searchApi, checkout: checkoutApi };

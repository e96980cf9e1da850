/** Words of a fishing-tackle shop, by category, from which products are composed. */
export interface LeafCategory {
  slug: string;
  name: string;
  parent: string;
  /** Product type noun, e.g. "Spinning Rod". */
  noun: string;
  priceRange: [number, number];
  series: string[];
  specs: (pick: <T>(items: readonly T[]) => T) => {
    label: string;
    attributes: Record<string, string>;
  };
  blurbs: string[];
}

export const TOP_CATEGORIES = [
  { slug: 'rods', name: 'Rods', description: 'Spinning, casting, fly and surf rods.' },
  { slug: 'reels', name: 'Reels', description: 'Spinning, baitcasting, fly and trolling reels.' },
  { slug: 'lines', name: 'Lines', description: 'Mono, braid, fluorocarbon and fly lines.' },
  {
    slug: 'lures',
    name: 'Lures & Baits',
    description: 'Hard baits, soft plastics, spinners, spoons, jigs and flies.',
  },
  {
    slug: 'terminal-tackle',
    name: 'Hooks & Terminal Tackle',
    description: 'Hooks, sinkers, swivels and leaders.',
  },
  { slug: 'clothing', name: 'Clothing', description: 'Waders, jackets, hats and gloves.' },
  {
    slug: 'accessories',
    name: 'Accessories',
    description: 'Tackle boxes, nets, pliers and rod holders.',
  },
] as const;

const lengths = ['6\'0"', '6\'6"', '7\'0"', '7\'6"', '8\'0"', '9\'0"', '10\'0"'];
const powers = ['Ultralight', 'Light', 'Medium-Light', 'Medium', 'Medium-Heavy', 'Heavy'];
const actions = ['Fast', 'Extra-Fast', 'Moderate'];
const colors = [
  'Firetiger',
  'Chartreuse Shad',
  'Green Pumpkin',
  'Silver Minnow',
  'Black/Blue',
  'Perch',
  'Ghost Shad',
  'Red Craw',
];
const sizes = ['S', 'M', 'L', 'XL', 'XXL'];

export const LEAF_CATEGORIES: LeafCategory[] = [
  {
    slug: 'spinning-rods',
    name: 'Spinning Rods',
    parent: 'rods',
    noun: 'Spinning Rod',
    priceRange: [39, 420],
    series: ['Classic', 'Pro', 'Elite', 'Trail', 'Finesse', 'Voyager'],
    specs: (p) => {
      const l = p(lengths),
        w = p(powers),
        a = p(actions);
      return {
        label: `${l} ${w}`,
        attributes: { length: l, power: w, action: a, pieces: p(['1', '2']) },
      };
    },
    blurbs: [
      'A sensitive graphite blank that telegraphs the lightest bite.',
      'Fuji-style guides keep braid running smoothly.',
      'Cork split grip stays comfortable through a long day on the water.',
      'Built for bass, walleye and trout in lakes and rivers.',
    ],
  },
  {
    slug: 'casting-rods',
    name: 'Casting Rods',
    parent: 'rods',
    noun: 'Casting Rod',
    priceRange: [59, 480],
    series: ['Flipper', 'Cranker', 'Tournament', 'Swimbait', 'Heritage'],
    specs: (p) => {
      const l = p(lengths),
        w = p(powers.slice(2));
      return { label: `${l} ${w}`, attributes: { length: l, power: w, action: p(actions) } };
    },
    blurbs: [
      'Backbone to pull bass out of heavy cover.',
      'Trigger grip and EVA handle for all-day pitching.',
      'A moderate tip loads deep-diving crankbaits without tearing hooks free.',
    ],
  },
  {
    slug: 'fly-rods',
    name: 'Fly Rods',
    parent: 'rods',
    noun: 'Fly Rod',
    priceRange: [89, 790],
    series: ['Riffle', 'Caddis', 'Spey', 'Mayfly', 'Highstick'],
    specs: (p) => {
      const wt = p(['3', '4', '5', '6', '8']);
      return {
        label: `9' ${wt}wt`,
        attributes: { length: "9'", lineWeight: `${wt}wt`, pieces: '4' },
      };
    },
    blurbs: [
      'Smooth medium-fast action for dry flies and nymphs alike.',
      'Packs into a travel tube for backcountry streams.',
      'Delicate presentations at short range, power when the wind picks up.',
    ],
  },
  {
    slug: 'surf-rods',
    name: 'Surf Rods',
    parent: 'rods',
    noun: 'Surf Rod',
    priceRange: [79, 350],
    series: ['Breaker', 'Longcast', 'Tideline'],
    specs: (p) => {
      const l = p(['10\'0"', '11\'0"', '12\'0"']);
      return {
        label: l,
        attributes: {
          length: l,
          power: p(['Medium-Heavy', 'Heavy']),
          castWeight: p(['1-4 oz', '2-6 oz']),
        },
      };
    },
    blurbs: [
      'Long blank for distance casts past the breakers.',
      'Corrosion-resistant guides for saltwater.',
    ],
  },
  {
    slug: 'spinning-reels',
    name: 'Spinning Reels',
    parent: 'reels',
    noun: 'Spinning Reel',
    priceRange: [29, 560],
    series: ['Stradus', 'Vantage', 'Sedona', 'Drift', 'Saltstorm'],
    specs: (p) => {
      const s = p(['1000', '2500', '3000', '4000', '5000']);
      return {
        label: s,
        attributes: {
          size: s,
          gearRatio: p(['5.2:1', '6.2:1']),
          bearings: p(['5+1', '7+1', '9+1']),
        },
      };
    },
    blurbs: [
      'Sealed carbon drag delivers smooth, consistent pressure.',
      'Light rotor and balanced spool for long, tangle-free casts.',
      'Aluminium body holds gears in alignment under load.',
    ],
  },
  {
    slug: 'baitcasting-reels',
    name: 'Baitcasting Reels',
    parent: 'reels',
    noun: 'Baitcasting Reel',
    priceRange: [49, 620],
    series: ['Curado', 'Revo', 'Tatula', 'Citica'],
    specs: (p) => {
      const g = p(['6.3:1', '7.1:1', '8.1:1']);
      return {
        label: g,
        attributes: {
          gearRatio: g,
          hand: p(['Right', 'Left']),
          maxDrag: p(['12 lb', '15 lb', '20 lb']),
        },
      };
    },
    blurbs: [
      'Magnetic brake dials out backlash on windy days.',
      'High gear ratio picks up slack line fast for jig fishing.',
    ],
  },
  {
    slug: 'fly-reels',
    name: 'Fly Reels',
    parent: 'reels',
    noun: 'Fly Reel',
    priceRange: [59, 540],
    series: ['Arbor', 'Clicker', 'Tarpon'],
    specs: (p) => {
      const wt = p(['3-4', '5-6', '7-8', '9-10']);
      return { label: `${wt}wt`, attributes: { lineWeight: `${wt}wt`, arbor: 'Large' } };
    },
    blurbs: ['Machined large arbor for fast line pickup.', 'Sealed drag for saltwater flats.'],
  },
  {
    slug: 'braided-line',
    name: 'Braided Line',
    parent: 'lines',
    noun: 'Braided Line',
    priceRange: [12, 69],
    series: ['X8', 'PowerBraid', 'Slick'],
    specs: (p) => {
      const lb = p(['10', '15', '20', '30', '50']);
      const yd = p(['150', '300']);
      return {
        label: `${lb} lb ${yd} yd`,
        attributes: {
          strength: `${lb} lb`,
          length: `${yd} yd`,
          color: p(['Moss Green', 'Hi-Vis Yellow', 'Grey']),
        },
      };
    },
    blurbs: [
      'Eight-strand weave casts round and quiet.',
      'Near-zero stretch for instant hooksets at distance.',
    ],
  },
  {
    slug: 'fluorocarbon-line',
    name: 'Fluorocarbon Line',
    parent: 'lines',
    noun: 'Fluorocarbon Line',
    priceRange: [9, 49],
    series: ['Clear', 'Invisi', 'Leader'],
    specs: (p) => {
      const lb = p(['6', '8', '10', '12', '15', '20']);
      return {
        label: `${lb} lb`,
        attributes: { strength: `${lb} lb`, length: p(['200 yd', '50 yd']) },
      };
    },
    blurbs: [
      'Nearly invisible underwater for line-shy fish.',
      'Abrasion resistant around rocks and docks.',
    ],
  },
  {
    slug: 'monofilament-line',
    name: 'Monofilament Line',
    parent: 'lines',
    noun: 'Monofilament Line',
    priceRange: [5, 24],
    series: ['Trilene', 'Classic Mono'],
    specs: (p) => {
      const lb = p(['4', '6', '8', '12', '17']);
      return { label: `${lb} lb`, attributes: { strength: `${lb} lb` } };
    },
    blurbs: [
      'Forgiving stretch for crankbaits and topwater.',
      'Easy to tie and easy on the budget.',
    ],
  },
  {
    slug: 'crankbaits',
    name: 'Crankbaits',
    parent: 'lures',
    noun: 'Crankbait',
    priceRange: [6, 24],
    series: ['Deep Diver', 'Squarebill', 'Lipless', 'Shad'],
    specs: (p) => {
      const c = p(colors);
      return {
        label: c,
        attributes: {
          color: c,
          depth: p(['2-4 ft', '6-8 ft', '10-14 ft']),
          length: p(['2"', '2.5"', '3"']),
        },
      };
    },
    blurbs: [
      'Deflects off cover to trigger reaction strikes.',
      'Tight wobble and rattle chamber call fish from a distance.',
    ],
  },
  {
    slug: 'soft-plastics',
    name: 'Soft Plastics',
    parent: 'lures',
    noun: 'Soft Bait',
    priceRange: [4, 14],
    series: ['Senko', 'Craw', 'Swimbait', 'Finesse Worm'],
    specs: (p) => {
      const c = p(colors);
      return {
        label: `${c} 8-pack`,
        attributes: { color: c, count: '8', scent: p(['Garlic', 'Crawfish', 'None']) },
      };
    },
    blurbs: [
      'Salt-impregnated plastic that fish hold onto longer.',
      'Rig it Texas, wacky or on a jighead.',
    ],
  },
  {
    slug: 'spinners-spoons',
    name: 'Spinners & Spoons',
    parent: 'lures',
    noun: 'Spinner',
    priceRange: [4, 16],
    series: ['Mepps-style', 'Inline', 'Casting Spoon'],
    specs: (p) => {
      const w = p(['1/8 oz', '1/4 oz', '3/8 oz', '1/2 oz']);
      return { label: w, attributes: { weight: w, blade: p(['Silver', 'Gold', 'Copper']) } };
    },
    blurbs: [
      'Flash and vibration for trout, pike and perch.',
      'Casts far and fishes at any depth.',
    ],
  },
  {
    slug: 'flies',
    name: 'Flies',
    parent: 'lures',
    noun: 'Fly Assortment',
    priceRange: [9, 39],
    series: ['Dry', 'Nymph', 'Streamer', 'Emerger'],
    specs: (p) => {
      const s = p(['#12', '#14', '#16', '#18']);
      return { label: `${s} 12-pack`, attributes: { hookSize: s, count: '12' } };
    },
    blurbs: [
      'Hand-tied patterns that match common hatches.',
      'Barbless hooks for easy catch and release.',
    ],
  },
  {
    slug: 'hooks',
    name: 'Hooks',
    parent: 'terminal-tackle',
    noun: 'Hooks',
    priceRange: [3, 15],
    series: ['Octopus', 'Circle', 'Offset Worm', 'Treble'],
    specs: (p) => {
      const s = p(['#6', '#2', '1/0', '3/0', '5/0']);
      return { label: `${s} 25-pack`, attributes: { size: s, count: '25' } };
    },
    blurbs: [
      'Chemically sharpened points penetrate on light pressure.',
      'Black nickel finish resists corrosion.',
    ],
  },
  {
    slug: 'sinkers-swivels',
    name: 'Sinkers & Swivels',
    parent: 'terminal-tackle',
    noun: 'Terminal Kit',
    priceRange: [4, 22],
    series: ['Split Shot', 'Barrel Swivel', 'Bullet Weight'],
    specs: (p) => {
      const c = p(['50', '100', '150']);
      return {
        label: `${c} pieces`,
        attributes: { count: c, material: p(['Tungsten', 'Lead-free steel']) },
      };
    },
    blurbs: ['Everything to rig bottom, drop-shot and Carolina setups.'],
  },
  {
    slug: 'waders',
    name: 'Waders',
    parent: 'clothing',
    noun: 'Waders',
    priceRange: [89, 650],
    series: ['Breathable', 'Neoprene', 'Stockingfoot'],
    specs: (p) => {
      const s = p(sizes);
      return {
        label: `Size ${s}`,
        attributes: { size: s, material: p(['4-layer breathable', '5mm neoprene']) },
      };
    },
    blurbs: [
      'Seam-taped and waterproof for cold spring runs.',
      'Reinforced knees stand up to kneeling on gravel bars.',
    ],
  },
  {
    slug: 'jackets',
    name: 'Jackets',
    parent: 'clothing',
    noun: 'Rain Jacket',
    priceRange: [69, 420],
    series: ['Storm', 'Packable', 'Guide'],
    specs: (p) => {
      const s = p(sizes);
      return {
        label: `Size ${s}`,
        attributes: { size: s, color: p(['Olive', 'Slate', 'Orange']) },
      };
    },
    blurbs: ['Fully waterproof shell that breathes on the walk in.', 'Packs into its own pocket.'],
  },
  {
    slug: 'hats-gloves',
    name: 'Hats & Gloves',
    parent: 'clothing',
    noun: 'Sun Gloves',
    priceRange: [12, 49],
    series: ['UPF 50', 'Fingerless', 'Wool'],
    specs: (p) => {
      const s = p(sizes.slice(0, 4));
      return { label: `Size ${s}`, attributes: { size: s } };
    },
    blurbs: ['UPF 50 protection for long days on open water.'],
  },
  {
    slug: 'tackle-boxes',
    name: 'Tackle Boxes',
    parent: 'accessories',
    noun: 'Tackle Box',
    priceRange: [14, 129],
    series: ['3700', 'Utility', 'Backpack'],
    specs: (p) => {
      const t = p(['2 trays', '3 trays', '4 trays']);
      return { label: t, attributes: { trays: t } };
    },
    blurbs: [
      'Adjustable dividers keep lures untangled.',
      'Water-resistant latches for boat decks.',
    ],
  },
  {
    slug: 'nets-tools',
    name: 'Nets & Tools',
    parent: 'accessories',
    noun: 'Landing Net',
    priceRange: [15, 159],
    series: ['Rubber Mesh', 'Telescoping', 'Catch & Release'],
    specs: (p) => {
      const l = p(['24"', '36"', '48"']);
      return { label: `${l} handle`, attributes: { handle: l, mesh: 'Rubber' } };
    },
    blurbs: ['Knotless rubber mesh protects fish slime and sheds hooks.'],
  },
];

export const BRANDS = [
  'Riverbend',
  'Northwind',
  'Tidewater',
  'Stillwater',
  'Kingfisher',
  'Driftline',
  'Cedar Creek',
  'Blue Heron',
  'Ironwood',
  'Saltspray',
  'Lakeside',
  'Red Alder',
];

export const SELLERS = [
  {
    slug: 'big-river-outfitters',
    name: 'Big River Outfitters',
    description: 'Full-line tackle shop on the Missouri since 1987.',
  },
  {
    slug: 'saltwater-supply',
    name: 'Saltwater Supply Co.',
    description: 'Surf and offshore gear, rigged by captains.',
  },
  {
    slug: 'fly-and-feather',
    name: 'Fly & Feather',
    description: 'Fly fishing specialists: rods, reels and hand-tied flies.',
  },
  {
    slug: 'bass-barn',
    name: 'Bass Barn',
    description: 'Everything for largemouth and smallmouth.',
  },
  {
    slug: 'northern-lakes-tackle',
    name: 'Northern Lakes Tackle',
    description: 'Walleye, pike and ice fishing gear.',
  },
  {
    slug: 'trout-stream-co',
    name: 'Trout Stream Co.',
    description: 'Light tackle for small water.',
  },
  {
    slug: 'the-tackle-box',
    name: 'The Tackle Box',
    description: 'Family shop with a bit of everything.',
  },
  { slug: 'coastal-angler', name: 'Coastal Angler', description: 'Inshore and pier fishing gear.' },
] as const;

export const REVIEW_LINES: Record<number, string[]> = {
  5: [
    'Exactly as described, landed my personal best on the first trip.',
    'Great value, feels like gear twice the price.',
    'Shipping was fast and it fishes beautifully.',
    'Would buy again without a second thought.',
  ],
  4: [
    'Solid piece of kit, minor finish blemish but works great.',
    'Does the job well; a bit heavier than I expected.',
    'Good quality for the money.',
  ],
  3: ['Okay for the price, nothing special.', 'Works, but the instructions were useless.'],
  2: ['Started to wear after a few trips.', 'Not what the photos suggested.'],
  1: ['Broke on the second cast, returned it.', 'Arrived damaged.'],
};

export const FIRST_NAMES = [
  'Ava',
  'Ben',
  'Cleo',
  'Dan',
  'Eli',
  'Fay',
  'Gus',
  'Hana',
  'Ivan',
  'Jo',
  'Kai',
  'Lena',
  'Milo',
  'Nia',
  'Otto',
  'Pia',
  'Quinn',
  'Rosa',
  'Sam',
  'Tess',
];
export const LAST_NAMES = [
  'Walker',
  'Brooks',
  'Rivers',
  'Fisher',
  'Lake',
  'Marsh',
  'Hale',
  'Reed',
  'Stone',
  'Wood',
];

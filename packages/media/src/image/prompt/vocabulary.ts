import type { Material, Mood, ProductKind, Season, Setting, Surface, TimeOfDay, Weather } from "./scene-spec";

// Word tables the parser reads. Each entry is a pattern on the lower-cased prompt; word boundaries are explicit so
// "can" is not found in "pecan" and "sea" not in "season". Order matters where a table is searched for a first match.
type Table<T> = ReadonlyArray<readonly [RegExp, T]>;

export const TIME_WORDS: Table<TimeOfDay> = [
  [/\b(golden hour|magic hour)\b/, "golden_hour"],
  [/\b(sunrise|sun ?rise|daybreak)\b/, "sunrise"],
  [/\b(dawn|first light)\b/, "dawn"],
  [/\b(sunset|sundown)\b/, "sunset"],
  [/\b(dusk|twilight|evening|blue hour)\b/, "dusk"],
  [/\b(night|midnight|moon ?lit|moonlight|starry|stars|nocturnal)\b/, "night"],
  [/\b(noon|midday|high sun)\b/, "noon"],
  [/\b(morning)\b/, "morning"],
  [/\b(afternoon|daytime|sunny|bright day)\b/, "noon"],
];

export const WEATHER_WORDS: Table<Weather> = [
  [/\b(mist|misty|haze|hazy)\b/, "mist"],
  [/\b(fog|foggy)\b/, "fog"],
  [/\b(rain|rainy|raining|drizzle|showers?)\b/, "rain"],
  [/\b(snow|snowy|snowing|snowfall|blizzard)\b/, "snow"],
  [/\b(clouds?|cloudy|overcast)\b/, "clouds"],
  [/\b(storm|stormy|thunder|thunderstorm|lightning)\b/, "storm"],
  [/\b(clear sky|clear skies|cloudless)\b/, "clear"],
];

export const SEASON_WORDS: Table<Season> = [
  [/\b(spring|springtime|blossoms?)\b/, "spring"],
  [/\b(summer|summertime)\b/, "summer"],
  [/\b(autumn|fall foliage|autumnal|in fall|harvest)\b/, "autumn"],
  [/\b(winter|wintry|frosty|frozen)\b/, "winter"],
];

export const SETTING_WORDS: Table<Setting> = [
  [/\b(mountains?|peaks?|alps|alpine|summit|cliffs?|ridges?|volcano)\b/, "mountains"],
  [/\b(hills?|hillside|valley|countryside|meadows?)\b/, "hills"],
  [/\b(lakes?|pond|lagoon|lakeside|fjord)\b/, "lake"],
  [/\b(rivers?|stream|creek|riverside|canal)\b/, "river"],
  [/\b(sea|ocean|seascape|waves|coast|coastline|bay)\b/, "sea"],
  [/\b(harbou?r|port|marina|docks?|pier|boats?|fishing village)\b/, "harbour"],
  [/\b(beach|shore|seaside|sand|tropical island)\b/, "beach"],
  [/\b(forests?|woods|woodland|pines?|jungle|trees|rainforest)\b/, "forest"],
  [/\b(desert|dunes?|sahara|canyon|mesa)\b/, "desert"],
  [/\b(city|skyline|downtown|skyscrapers?|town|urban|street|metropolis)\b/, "city"],
  [/\b(fields?|farm|farmland|prairie|wheat|lavender|vineyard|plains?|grassland)\b/, "fields"],
  [/\b(snowfields?|tundra|glacier|arctic|ice ?field|snowy plain)\b/, "snowfield"],
];

export const MATERIAL_WORDS: Table<Material> = [
  [/\b(matte|matt|frosted|soft-touch|satin)\b/, "matte"],
  [/\b(glossy|gloss|shiny|lacquered|polished)\b/, "glossy"],
  [/\b(metal|metallic|steel|aluminium|aluminum|chrome|brushed|titanium|brass|copper)\b/, "metal"],
  [/\b(glass|crystal|transparent|clear glass)\b/, "glass"],
  [/\b(ceramic|porcelain|stoneware|clay|terracotta)\b/, "ceramic"],
  [/\b(wood|wooden|bamboo|oak|walnut)\b/, "wood"],
  [/\b(fabric|canvas|knit|cotton|wool|linen|textile|mesh|suede)\b/, "fabric"],
  [/\b(leather)\b/, "leather"],
];

/** Names of containers and objects: when the prompt says one, it is the product ("beer bottle" is a bottle). */
export const PRODUCT_NOUNS: Table<ProductKind> = [
  [/\b(bottles?|flasks?)\b/, "bottle"],
  [/\b(jars?)\b/, "jar"],
  [/\b(cans?|tins?)\b/, "can"],
  [/\b(tubes?)\b/, "tube"],
  [/\b(mugs?|cups?)\b/, "mug"],
  [/\b(box|boxes)\b/, "box"],
  [/\b(candles?)\b/, "candle"],
  [/\b(pots?|planters?)\b/, "plant_pot"],
];

// Longer, more specific names first: "perfume bottle" is perfume, "coffee mug" a mug, "shoe box" a box.
export const PRODUCT_WORDS: Table<ProductKind> = [
  [/\b(perfume|fragrance|eau de|cologne|parfum)\b/, "perfume"],
  [/\b(cosmetics? jar|cream jar|face cream|moisturi[sz]er|night cream|eye cream|balm)\b/, "cosmetics_jar"],
  [/\b(shoe ?box|gift box|boxes|box|package|packaging|carton|cereal)\b/, "box"],
  [/\b(mugs?|cups?|teacup|espresso cup|latte)\b/, "mug"],
  [/\b(shoes?|sneakers?|trainers?|running shoes?|boots?|footwear)\b/, "shoe"],
  [/\b(bags?|backpack|tote|handbag|purse|rucksack)\b/, "bag"],
  [/\b(smartphone|phones?|iphone|mobile)\b/, "phone"],
  [/\b(watch|watches|smartwatch|wristwatch|timepiece)\b/, "watch"],
  [/\b(headphones?|headset|earphones|earbuds)\b/, "headphones"],
  [/\b(laptops?|notebook computer|macbook|ultrabook)\b/, "laptop"],
  [/\b(books?|novel|hardcover|paperback|cookbook|journal|notebook)\b/, "book"],
  [/\b(candles?)\b/, "candle"],
  [/\b(plant pot|planter|flower ?pot|potted plant|houseplant|succulent|plant)\b/, "plant_pot"],
  [/\b(tube|lotion|toothpaste|sunscreen|cleanser|hand cream)\b/, "tube"],
  [/\b(cans?|soda|beer|cola|energy drink|tin)\b/, "can"],
  [/\b(jars?|honey|jam|peanut butter|pickles)\b/, "jar"],
  [/\b(bottles?|serum|wine|oil|spray|flask|drink|water|juice|kombucha|shampoo|sauce)\b/, "bottle"],
  [/\b(cream|cosmetics?|skincare|pot)\b/, "cosmetics_jar"],
];

export const SURFACE_WORDS: Table<Surface> = [
  [/\b(marble)\b/, "marble"],
  [/\b(concrete|cement)\b/, "concrete"],
  [
    /\b(on (a )?(wood|wooden|oak|walnut)( table| surface| board)?|wooden table|wood table|tabletop)\b/,
    "wood",
  ],
  [/\b(pastel)\b/, "pastel"],
  [/\b(on linen|linen cloth|tablecloth)\b/, "linen"],
  [/\b(stone|slate|rock|pebbles)\b/, "stone"],
];

export const MOOD_WORDS: Table<Mood> = [
  [/\b(calm|quiet|serene|peaceful|tranquil|gentle|soft|relax\w*|mindful\w*|meditat\w*|sleep)\b/, "calm"],
  [/\b(energetic|vibrant|bold|dynamic|launch|sale|fitness|sport\w*|workout|fast)\b/, "energetic"],
  [/\b(dramatic|epic|moody|intense|storm\w*)\b/, "dramatic"],
  [/\b(playful|fun|kids?|party|celebrat\w*|birthday|cute|happy)\b/, "playful"],
  [/\b(elegant|luxury|luxurious|premium|wedding|classic|refined)\b/, "elegant"],
  [/\b(dark|noir|gothic|spooky|halloween|mystery)\b/, "dark"],
  [/\b(cozy|cosy|warm|autumn|harvest|coffee|baking|bread)\b/, "warm"],
  [/\b(fresh|clean|spring|healthy|health|wellness|organic|green|eco)\b/, "fresh"],
  [
    /\b(tech|ai|software|code|coding|developer|data|database|cloud|api|postgres\w*|queues?|startup|saas|cyber\w*|kubernetes)\b/,
    "tech",
  ],
];

export const COLOR_WORDS: ReadonlyArray<readonly [RegExp, string, string]> = [
  [/\b(navy)\b/, "navy", "#1e2a4a"],
  [/\b(teal|turquoise|aqua|cyan)\b/, "teal", "#0d9488"],
  [/\b(crimson|scarlet|red)\b/, "red", "#c8102e"],
  [/\b(burgundy|maroon|wine red)\b/, "burgundy", "#7a1f2b"],
  [/\b(blue|cobalt|azure|sky blue)\b/, "blue", "#1d4ed8"],
  [/\b(sage)\b/, "sage", "#8fa98a"],
  [/\b(olive)\b/, "olive", "#6b7a2a"],
  [/\b(green|emerald)\b/, "green", "#15803d"],
  [/\b(yellow|lemon)\b/, "yellow", "#eab308"],
  [/\b(orange|tangerine)\b/, "orange", "#ea580c"],
  [/\b(lavender|lilac)\b/, "lavender", "#a78bda"],
  [/\b(purple|violet)\b/, "purple", "#7e22ce"],
  [/\b(pink|rose|blush)\b/, "pink", "#ec4899"],
  [/\b(black|matte black|jet)\b/, "black", "#1c1c1e"],
  [/\b(white|ivory|snow-white)\b/, "white", "#f4f4f2"],
  [/\b(gr[ae]y|charcoal|slate)\b/, "grey", "#6b7280"],
  [/\b(gold|golden|amber)\b/, "gold", "#c9962b"],
  [/\b(silver|chrome)\b/, "silver", "#a8adb3"],
  [/\b(beige|cream-coloured|sand|nude|tan)\b/, "beige", "#d8c3a5"],
  [/\b(brown|chocolate|walnut|coffee-coloured)\b/, "brown", "#7c4a2d"],
  [/\b(mint)\b/, "mint", "#7dd3b0"],
  [/\b(coral|peach|salmon)\b/, "coral", "#f47c6a"],
];

/**
 * Nouns to pictures of the bundled emoji set, for words whose icon has another name. A word not found here is
 * looked up in the set by its own name ("strawberry", "rocket").
 */
export const SUBJECT_WORDS: Table<string> = [
  [/\b(coffee|espresso|latte|cappuccino|tea)\b/, "hot-beverage"],
  [/\b(postgres\w*|elephants?)\b/, "elephant"],
  [/\b(ai|robots?|machine learning|llms?|agents?|chatbots?)\b/, "robot"],
  [/\b(cloud|aws|serverless|hosting)\b/, "cloud"],
  [/\b(money|budget|cost|costs|bill|pricing|revenue|profit|savings|finance|invest\w*)\b/, "money-bag"],
  [/\b(launch\w*|startup|rocket|ship it)\b/, "rocket"],
  [/\b(growth|grow|metrics|analytics|seo|increase)\b/, "chart-increasing"],
  [/\b(code|coding|developer|programming|software|typescript|javascript|python)\b/, "laptop"],
  [/\b(sleep|sleeping|insomnia|bedtime|rest)\b/, "crescent-moon"],
  [/\b(ideas?|tips|insights?|innovation)\b/, "light-bulb"],
  [/\b(settings|engineering|engine|automation|workflow)\b/, "gear"],
  [/\b(database|databases|queues?|storage|archive)\b/, "card-file-box"],
  [/\b(security|secure|privacy|auth\w*)\b/, "shield"],
  [/\b(search|research|discover\w*)\b/, "magnifying-glass-tilted-left"],
  [/\b(email|newsletter|mail)\b/, "envelope"],
  [/\b(mobile app|app|apps|smartphone|phone)\b/, "mobile-phone"],
  [/\b(learn\w*|education|course|study|students?)\b/, "graduation-cap"],
  [/\b(travel|trip|flight|vacation|holiday)\b/, "airplane"],
  [/\b(world|global|international|worldwide)\b/, "globe-showing-europe-africa"],
  [/\b(music|song|playlist|podcast)\b/, "musical-note"],
  [/\b(videos?|film|movie|cinema)\b/, "movie-camera"],
  [/\b(design|art|painting|creative)\b/, "artist-palette"],
  [/\b(writing|blog|article|notes?)\b/, "memo"],
  [/\b(reading|books?|library)\b/, "books"],
  [/\b(health|medical|doctor|hospital)\b/, "stethoscope"],
  [/\b(science|lab|chemistry|experiment)\b/, "test-tube"],
  [/\b(space|astronomy|planets?|galaxy)\b/, "ringed-planet"],
  [/\b(team|teams|community|people|hiring)\b/, "handshake"],
  [/\b(shop|shopping|store|ecommerce|e-commerce|retail)\b/, "shopping-bags"],
  [/\b(payments?|checkout|cards?)\b/, "credit-card"],
  [/\b(celebrat\w*|party|anniversary|launch party)\b/, "party-popper"],
  [/\b(gifts?|presents?)\b/, "wrapped-gift"],
  [/\b(love|valentine\w*)\b/, "red-heart"],
  [/\b(fitness|workout|gym)\b/, "person-lifting-weights"],
  [/\b(running|marathon|runners?)\b/, "running-shoe"],
  [/\b(yoga|meditation|mindfulness)\b/, "person-in-lotus-position"],
  [/\b(garden\w*|plants?|houseplants?)\b/, "potted-plant"],
  [/\b(sustainab\w*|eco|climate|nature)\b/, "seedling"],
  [/\b(cooking|recipes?|kitchen|dinner|meals?)\b/, "cooking"],
  [/\b(baking|bakery|bread|sourdough)\b/, "bread"],
  [/\b(wine|vineyard)\b/, "wine-glass"],
  [/\b(beer|brewery)\b/, "beer-mug"],
  [/\b(summer|sunshine|sunny)\b/, "sun"],
  [/\b(winter|snow)\b/, "snowflake"],
  [/\b(autumn|fall)\b/, "maple-leaf"],
  [/\b(spring|blossoms?)\b/, "cherry-blossom"],
  [/\b(camping|outdoors|hiking)\b/, "camping"],
  [/\b(mountains?)\b/, "snow-capped-mountain"],
  [/\b(beach|ocean|sea|surf\w*)\b/, "water-wave"],
  [/\b(city|urban)\b/, "cityscape"],
  [/\b(time|deadline|productivity|schedule)\b/, "alarm-clock"],
  [/\b(calendar|events?)\b/, "calendar"],
  [/\b(awards?|win|winners?|success|best)\b/, "trophy"],
  [/\b(cars?|driving|road trip)\b/, "automobile"],
  [/\b(cycling|bikes?|bicycles?)\b/, "bicycle"],
  [/\b(dogs?|puppy|puppies)\b/, "dog-face"],
  [/\b(cats?|kittens?)\b/, "cat-face"],
  [/\b(home|house|real estate)\b/, "house"],
  [/\b(photography|photos?|camera)\b/, "camera"],
  [/\b(strawberries)\b/, "strawberry"],
  [/\b(cherries)\b/, "cherries"],
  [/\b(tomatoes)\b/, "tomato"],
  [/\b(lemons)\b/, "lemon"],
];

/**
 * A few words in the other scripts we set, matched anywhere in the text (CJK has no spaces between words), so a
 * title in Japanese or Arabic gets a picture too. Far from a dictionary: the common topics of posts.
 */
export const FOREIGN_SUBJECTS: Table<string> = [
  [/桜|櫻|春|벚꽃|봄|весн|אביב|الربيع/, "cherry-blossom"],
  [/秋|가을|осен|סתיו|الخريف/, "maple-leaf"],
  [/冬|雪|겨울|зим|снег|חורף|الشتاء/, "snowflake"],
  [/夏|여름|лет[оа]|קיץ|الصيف/, "sun"],
  [/旅|여행|путешеств|טיול|سفر/, "airplane"],
  [/咖啡|コーヒー|커피|кофе|קפה|قهوة|القهوة/, "hot-beverage"],
  [/茶|お茶|чай|תה|شاي/, "teacup-without-handle"],
  [/西红柿|番茄|トマト|토마토|помидор|томат|עגבני|طماطم/, "tomato"],
  [/种植|園芸|花园|정원|сад|גינה|حديقة/, "potted-plant"],
  [/коллекци|系列|コレクション|컬렉션|קולקציה|مجموعة/, "shopping-bags"],
  [/שבת|安息/, "candle"],
  [/שלום|和平|평화|سلام/, "dove"],
  [/东京|東京|도쿄|токио|טוקיו|طوكيو/, "mount-fuji"],
  [/서울|首尔|ソウル|сеул|סיאול|سيول/, "cityscape"],
  [/书|書籍|책|книг|ספר|كتاب/, "books"],
  [/爱|愛|사랑|любов|אהבה/, "red-heart"],
];

/** Common words that name an icon but are no subject ("new", "top", "free"). */
export const NOT_SUBJECTS = new Set(
  "new top free up ok cool end back soon on id sos vs man woman person people face hand hands how why what our your the and with for from into guide best tips".split(
    " ",
  ),
);

/** Words never taken for a brand on a label. */
export const NOT_BRANDS = new Set(
  "a an the of for with and on in at to by from studio shot photo photograph product image picture render minimal premium luxury new white black red blue green pink gold silver hero closeup close up top view flat lay".split(
    " ",
  ),
);

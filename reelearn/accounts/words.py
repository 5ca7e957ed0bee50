"""A built-in list of short, friendly, easy-to-spell words for pupils' memorable passwords.

Checked by hand: no names, nothing rude or frightening, no homophones that trip up young
spellers (no "pear", "sea", "tail"; no "grey"/"gray"), and nothing that looks alike when
printed (see `tests/accounts/test_cards.py`). Animals, food, nature, things at home and at
school, colours: words a seven-year-old reads and types.

A card password is three different words and a number from 10 to 99 (`cards.memorable_password`):
457 × 456 × 455 × 90 ≈ 2^33.0, so at least 30 bits (`PASSWORD_BITS`).
"""

import math

_RAW = """
acorn almond amber anchor apple apricot apron arrow atlas autumn badge badger bagel ball
balloon bamboo banana banjo barley basket beach beacon beaver beetle bell bench berry bike
biscuit bison blanket bloom blossom boat bongo book boot bottle bowl box branch brave breeze
brick bridge bright broccoli brook brown brush bubble bucket buckle bun bunny bush butter
button cabbage cabin cactus cake calf calm camel candle candy canoe canyon cap car card carrot
castle cat celery cello chair chalk cheese cherry chess chick circle cliff clock cloud clover
coast coat cobweb cocoa coconut comb comet compass cookie copper coral corn cotton cousin cow
crab cradle crane crayon cream cricket crystal cub cup cupcake custard daisy desert desk dog
dolphin domino donkey door dragon drum duck dune eagle earth easel echo elbow ember emu falcon
fan feather fern ferret ferry fiddle field fig finch flag fluffy flute forest fork fossil
fountain fox frog frost gadget galaxy garden garlic gate gecko gerbil giant ginger giraffe
glacier globe glove glue goat gold goose grape grass gravel green guitar gull hammock hamster
happy harbour harp harvest hat hazel hedge hedgehog helmet hen heron hiking hill hippo honey
hoop igloo indigo island ivory jacket jaguar jam jar jelly jigsaw jolly jug juice jungle
kangaroo kayak kettle key kind kite kitten kiwi koala ladder lagoon lake lamp lantern lark leaf
lemon lemur lentil lilac lily lime lion lizard llama lobster lock locket lotus magnet magpie
mango map maple marble mat meadow meerkat melon milk mitten mole monkey moon moose mosaic moss
moth mouse muffin mug mule nail navy nectar needle nest net newt noodle nutmeg oak oasis oats
ocean octopus olive onion orange orbit orchid ostrich otter owl oyster paddle paint pan pancake
panda paper parcel parrot parsnip pasta peach peanut pebble pelican pen pencil penguin pepper
piano pickle picnic pig pigeon pillow pine pink pizza planet plate plum pocket pond pony
popcorn pot potato pretzel puddle puffin pumpkin puppy purple puzzle quail quartz quick quilt
rabbit radish rainbow raisin raven reef rhino ribbon rice river robin robot rock rocket rope
rug ruler sack saddle salad salmon sand sandal sandwich satchel scarf seagull seashell seed
shadow sheep shelf shell shiny ship shoe shore shrimp silver sink sketch sky sledge sloth snail
snow sock sofa soil soup spade sparrow spinach sponge spoon spring squirrel stamp star starfish
step stone stool stork stream sugar summer sunny sunset swan swing table taco tadpole teal
teapot tent thistle thunder tiger timber toad toast tomato torch toucan toy tractor train tray
tree trout truck trumpet tulip tuna tunnel turnip turtle twig umbrella valley van vase velvet
violet violin volcano waffle wagon walnut walrus wave whale wheel whistle white willow wind
window winter wombat worm yak yellow yogurt zebra
"""
WORDS: tuple[str, ...] = tuple(_RAW.split())
WORDS_PER_PASSWORD = 3
NUMBERS = range(10, 100)
PASSWORD_BITS = math.log2(math.perm(len(WORDS), WORDS_PER_PASSWORD) * len(NUMBERS))

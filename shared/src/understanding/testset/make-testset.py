# Writes labelled.jsonl: the labelled prompt set for understanding (issue 11). Run once by hand
# (python3 make-testset.py); the JSONL is what the test reads. Nouns and templates are varied on
# purpose and written without looking at the lexicon: the set measures, it is not tuned.
import json, itertools, random
random.seed(11)
animals = "dog cat horse cow pig sheep goat chicken duck rabbit mouse elephant giraffe zebra lion tiger bear wolf fox deer monkey gorilla kangaroo koala panda penguin owl eagle parrot flamingo swan frog turtle snake crocodile dolphin whale shark octopus crab butterfly bee ladybug snail camel hedgehog squirrel bat otter".split()
vehicles = "car bus truck bicycle motorcycle train airplane helicopter boat sailboat ship tractor taxi ambulance scooter rocket canoe submarine".split()
food = "apple banana orange strawberry grapes watermelon pineapple lemon cherry peach pear carrot broccoli tomato potato corn mushroom pizza hamburger sandwich croissant cake cookie donut taco burrito sushi bread cheese egg pancakes".split()
objects = "umbrella chair bed couch lamp clock book guitar piano violin drum balloon kite ball backpack camera television laptop telephone key candle teapot cup bottle hat shoe glasses scissors hammer lantern bell trophy gift basket crown".split()
plants_places = "tree cactus flower tulip sunflower rose mushroom house castle tent lighthouse windmill".split()
singles = animals + vehicles + food + objects + plants_places
single_templates = [
    "a {n}", "a {n} on a sunny day", "close-up of a {n}", "a {n} in the middle of the frame",
    "a single {n}, studio lighting", "a {n} at night", "wide shot of a {n} in a park",
    "a small {n} on a white background", "one {n}, slow camera pan", "a beautiful {n} in the morning light",
]
colors = "red blue green yellow orange purple pink black white brown gray gold silver".split()
colorable = "car bus bicycle umbrella balloon chair lamp cup hat shoe kite ball backpack book guitar truck boat apple flower bird cat dog horse sofa bottle candle vase".split()
rel_phr = {
    "left-of": ["{a} on the left of {b}", "{a} to the left of {b}", "{a} left of {b}"],
    "right-of": ["{a} on the right of {b}", "{a} to the right of {b}", "{a} right of {b}"],
    "above": ["{a} above {b}", "{a} floating above {b}", "{a} high above {b}"],
    "below": ["{a} below {b}", "{a} under {b}", "{a} beneath {b}"],
}
pair_nouns = "dog cat horse cow sheep bicycle car bus umbrella chair lamp clock book guitar balloon ball apple banana cake pizza tree flower duck rabbit elephant giraffe boat truck kite cup teapot".split()
def art(n): return ("an " if n[0] in "aeiou" else "a ") + n
rows = []
for n in singles:
    t = random.choice(single_templates)
    rows.append({"kind": "single", "prompt": t.format(n=n), "subjects": [{"noun": n}]})
for i, n in enumerate(singles[:60]):
    t = single_templates[(i * 7 + 3) % len(single_templates)]
    rows.append({"kind": "single", "prompt": t.format(n=n), "subjects": [{"noun": n}]})
pairs = list(itertools.combinations(pair_nouns, 2))
random.shuffle(pairs)
pair_templates = ["{a} and {b}", "{a} next to {b}", "{a} with {b} in a garden", "{a} beside {b}", "{a} and {b} on a sunny afternoon"]
for i, (x, y) in enumerate(pairs[:80]):
    rows.append({"kind": "pair", "prompt": pair_templates[i % len(pair_templates)].format(a=art(x), b=art(y)), "subjects": [{"noun": x}, {"noun": y}]})
for i in range(80):
    c = colors[i % len(colors)]
    n = colorable[(i * 5) % len(colorable)]
    other = colorable[(i * 5 + 7) % len(colorable)]
    if i % 3 == 0:
        p = f"a {c} {n} next to {art(other)}"
        subs = [{"noun": n, "color": c}, {"noun": other}]
    elif i % 3 == 1:
        p = f"{art(c)} {n} in the street"
        subs = [{"noun": n, "color": c}]
    else:
        c2 = colors[(i + 4) % len(colors)]
        p = f"a {c} {n} and a {c2} {other}"
        subs = [{"noun": n, "color": c}, {"noun": other, "color": c2}]
    rows.append({"kind": "color", "prompt": p, "subjects": subs})
for i in range(96):
    kind = list(rel_phr)[i % 4]
    t = rel_phr[kind][(i // 4) % 3]
    x, y = pairs[80 + i]
    a = art(x) if i % 2 else f"the {x}"
    b = art(y)
    rows.append({"kind": "relation", "prompt": t.format(a=a, b=b), "subjects": [{"noun": x}, {"noun": y}], "relation": kind})
styles = {
    "van-gogh": ["in the style of Van Gogh", "Van Gogh style", "thick impasto brushwork like Van Gogh"],
    "oil-painting": ["as an oil painting", "oil painting", "classical oil on canvas"],
    "ukiyo-e": ["ukiyo-e woodblock print", "in the style of Hokusai", "Japanese woodblock print"],
    "black-and-white": ["black and white", "in black-and-white", "monochrome photograph"],
    "pixel-art": ["pixel art", "8-bit pixel art", "retro video game pixel art"],
    "cyberpunk": ["cyberpunk style", "cyberpunk aesthetic", "in a cyberpunk look"],
    "cartoon": ["cartoon style", "as a cartoon", "Pixar style animation"],
    "watercolor": ["watercolour painting", "soft watercolor", "in watercolor"],
    "surreal": ["surreal, like Dalí", "surrealism", "a surreal dreamlike scene"],
}
style_subjects = ["a fox in a forest", "a lighthouse by the sea", "a cat on a windowsill"]
for st, phrases in styles.items():
    for k, ph in enumerate(phrases):
        rows.append({"kind": "style", "prompt": f"{style_subjects[k]}, {ph}", "style": st})
everyday = [
    ("a man walking his dog in the park", ["man", "dog"]),
    ("a woman reading a book on a bench", ["woman", "book"]),
    ("children playing with a ball on the beach", ["child", "ball"]),
    ("a cat sleeping on a sofa", ["cat", "sofa"]),
    ("a chef cooking pasta in a busy kitchen", ["chef"]),
    ("a red car driving down a highway at sunset", ["car"]),
    ("an old fisherman in a small boat on a lake", ["fisherman", "boat"]),
    ("two horses grazing in a field", ["horse"]),
    ("a girl flying a kite on a windy hill", ["girl", "kite"]),
    ("a dog chasing a squirrel up a tree", ["dog", "squirrel", "tree"]),
    ("a bowl of fruit on a kitchen table", ["fruit"]),
    ("an astronaut floating in space", ["astronaut"]),
    ("a train crossing a bridge over a river", ["train", "bridge"]),
    ("a birthday cake with candles", ["cake", "candle"]),
    ("a family having a picnic under a tree", ["family", "tree"]),
    ("a penguin waddling on the ice", ["penguin"]),
    ("a hot air balloon over the mountains", ["hot air balloon"]),
    ("a boy riding a bicycle down the street", ["boy", "bicycle"]),
    ("a dolphin jumping out of the ocean", ["dolphin"]),
    ("a teacher writing on a blackboard in a classroom", ["teacher"]),
    ("a barista pouring coffee into a cup", ["barista", "cup"]),
    ("a butterfly landing on a flower", ["butterfly", "flower"]),
    ("a bus stopping at a busy city street", ["bus"]),
    ("a snowman in a snowy garden", ["snowman"]),
    ("a pirate ship sailing on stormy seas", ["ship"]),
    ("an owl sitting on a branch at night", ["owl", "branch"]),
    ("a woman holding an umbrella in the rain", ["woman", "umbrella"]),
    ("a farmer driving a tractor across a farm", ["farmer", "tractor"]),
    ("a couple dancing in a ballroom", ["couple"]),
    ("a helicopter flying over a city skyline", ["helicopter"]),
    ("a turtle swimming near a coral reef", ["turtle"]),
    ("a soccer player kicking a ball in a stadium", ["player", "ball"]),
    ("a baby playing with a teddy bear", ["baby", "teddy bear"]),
    ("a camel walking through the desert", ["camel"]),
    ("a pizza coming out of the oven", ["pizza", "oven"]),
    ("a knight riding a horse toward a castle", ["knight", "horse", "castle"]),
    ("a robot waving hello", ["robot"]),
    ("a frog sitting on a lily pad in a pond", ["frog"]),
    ("a man playing guitar by a campfire", ["man", "guitar", "campfire"]),
    ("a rocket launching into the sky", ["rocket"]),
    ("a lion resting in the savanna", ["lion"]),
    ("an elephant spraying water with its trunk", ["elephant"]),
    ("a laptop and a cup of coffee on a desk", ["laptop", "cup"]),
    ("a sailboat on a calm lake at dawn", ["sailboat"]),
    ("a grandmother knitting in a rocking chair", ["grandmother", "chair"]),
    ("a fox running through the snow", ["fox"]),
    ("a parrot eating a banana", ["parrot", "banana"]),
    ("a skateboarder doing a trick in a skate park", ["skateboarder"]),
    ("a firefighter spraying water on a burning house", ["firefighter", "house"]),
    ("a goldfish swimming in a bowl", ["goldfish", "bowl"]),
    ("three sheep on a green hill", ["sheep"]),
    ("a taxi waiting outside a hotel", ["taxi", "hotel"]),
    ("a student studying in a library", ["student"]),
    ("a doctor talking to a patient", ["doctor", "patient"]),
    ("a monkey swinging from a tree in the jungle", ["monkey", "tree"]),
    ("a pair of shoes by the door", ["shoe"]),
    ("a motorcycle parked on a city street", ["motorcycle"]),
    ("a whale breaching in the ocean", ["whale"]),
    ("a bee collecting pollen from a sunflower", ["bee", "sunflower"]),
    ("a policeman directing traffic", ["policeman"]),
]
for p, nouns in everyday:
    rows.append({"kind": "everyday", "prompt": p, "subjects": [{"noun": n} for n in nouns]})
# Compositions (issue 11 follow-up): things on a support surface, riders on mounts, contents in
# containers. Own nouns and templates, none of the contact sheet's prompts.
rnd = random.Random(21)
on_things = "laptop book candle clock teapot apple cake bottle banana cookie hamburger sandwich camera trophy gift hat telephone donut lemon croissant".split()
surfaces = ["table", "desk", "counter", "shelf", "wooden table", "kitchen counter", "dining table", "coffee table"]
places = ["in a living room", "in an office", "in a kitchen", "in a bakery", "at home", "in a quiet room", ""]
sup_templates = ["{a} on {s} {p}", "{a} on top of {s}", "{a} sitting on {s} {p}", "{a} and {b} on {s}", "{a} resting on {s} {p}"]
for i in range(24):
    t = sup_templates[i % len(sup_templates)]
    x, y = rnd.sample(on_things, 2)
    srf = surfaces[i % len(surfaces)]
    prompt = " ".join(t.format(a=art(x), b=art(y), s=art(srf), p=rnd.choice(places)).split())
    subs = [{"noun": x}] + ([{"noun": y}] if "{b}" in t else []) + [{"noun": srf.split()[-1]}]
    rows.append({"kind": "support", "prompt": prompt, "subjects": subs})
at_people = ["man", "woman", "girl", "boy", "chef", "student", "old man", "teacher"]
at_templates = ["{a} sitting at {s}", "{a} working at {s} {p}", "{a} standing at {s}"]
for i in range(9):
    who = at_people[i % len(at_people)]
    srf = ["desk", "table", "counter"][i % 3]
    prompt = " ".join(at_templates[i % 3].format(a=art(who), s=art(srf), p=rnd.choice(places)).split())
    rows.append({"kind": "at", "prompt": prompt, "subjects": [{"noun": who.split()[-1]}, {"noun": srf}]})
riders = ["man", "woman", "boy", "girl", "knight", "child", "old man", "soldier"]
mounts = ["horse", "bicycle", "motorcycle", "camel", "elephant", "donkey", "zebra", "skateboard"]
ride_places = ["on a beach", "through the desert", "down the street", "across a field", "along the river", "in the park", "through the forest"]
ride_templates = ["{a} riding {m} {p}", "{a} on {m} {p}", "{a} rides {m} {p}"]
for i in range(21):
    r = riders[i % len(riders)]
    m = mounts[(i * 3) % len(mounts)]
    prompt = ride_templates[i % 3].format(a=art(r), m=art(m), p=rnd.choice(ride_places))
    rows.append({"kind": "ride", "prompt": prompt, "subjects": [{"noun": r.split()[-1]}, {"noun": m}]})
implied = [
    ("a cyclist racing down a mountain road", "cyclist", "bicycle"),
    ("two cyclists on a country road at dawn", "cyclist", "bicycle"),
    ("a biker speeding along a highway", "biker", "motorcycle"),
    ("a motorcyclist in the rain at night", "motorcyclist", "motorcycle"),
    ("a jockey on a racetrack", "jockey", "horse"),
    ("a horseman crossing the prairie", "horseman", "horse"),
    ("a skateboarder in an empty parking lot", "skateboarder", "skateboard"),
    ("a surfer at sunrise", "surfer", "surfboard"),
    ("a woman cycling along the canal", "woman", "bicycle"),
    ("a boy skateboarding down a hill", "boy", "skateboard"),
    ("a rider galloping across a meadow", "rider", "horse"),
    ("a bike rider in the city", "rider", "bicycle"),
]
for p_, r, m in implied:
    rows.append({"kind": "ride", "prompt": p_, "subjects": [{"noun": r}, {"noun": m}]})
containers = ["bowl", "basket", "plate", "box", "crate", "bucket", "jar"]
contents = "apples oranges cherries eggs cookies lemons tomatoes peaches plums candies muffins potatoes".split()
cont_templates = ["{c} of {x}", "{c} of {x} on a table", "{c} full of {x}", "{c} of {x} in a kitchen", "a wooden {cn} of {x}"]
for i in range(21):
    cn = containers[i % len(containers)]
    x = contents[(i * 5) % len(contents)]
    prompt = cont_templates[i % len(cont_templates)].format(c=art(cn), cn=cn, x=x)
    one = {"cherries": "cherry", "tomatoes": "tomato", "potatoes": "potato", "peaches": "peach", "candies": "candy"}.get(x, x[:-1])
    rows.append({"kind": "container", "prompt": prompt, "subjects": [{"noun": cn}, {"noun": one}]})
for p_, x in [("a vase of tulips", "tulip"), ("a vase of roses on a windowsill", "rose"), ("a blue vase full of sunflowers", "sunflower")]:
    rows.append({"kind": "container", "prompt": p_, "subjects": [{"noun": "vase"}, {"noun": x}]})
with open("labelled.jsonl", "w") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")
print(len(rows), {k: sum(1 for r in rows if r["kind"] == k) for k in ["single", "pair", "color", "relation", "style", "everyday", "support", "at", "ride", "container"]})

// Bit-exact emulation of the x86-64 libm routines numpy 1.24 reaches: glibc's FMA `log`, and the AVX-512 SVML sin/cos.
//
// numpy's legacy Gaussian sampler calls the C library's `log`; on x86-64 with FMA, glibc (2.28+) runs
// the table-driven `__log_fma`. numpy's float64 `sin`/`cos` ufuncs run Intel's SVML `__svml_sin8` /
// `__svml_cos8` on AVX-512 machines, which are up to ~2 ulp from the true value. JavaScript's Math.log /
// Math.sin / Math.cos disagree with both in the last bits, so the three are re-evaluated here operation
// for operation, with every fused multiply-add emulated exactly. The operation order and the constants
// (glibc's `__log_data`, SVML's coefficients) were read from the compiled routines in Debian bookworm's
// libm.so.6 (glibc 2.36) and python3-numpy 1.24.2; the tests compare against those libraries' outputs.
// Licences of the originals (see NOTICE.md): the log algorithm and table come from Arm's
// optimized-routines (MIT OR Apache-2.0 WITH LLVM-exception), SVML from numpy's bundled Intel SVML
// (BSD-3-Clause).

import { floorOfProduct, fma } from "./fma";

// ---------------------------------------------------------------------------------------------
// glibc log (__log_fma)

const LN2_HIGH = 0.6931471805598903; // 0x1.62e42fefa3800p-1
const LN2_LOW = 5.497923018708371e-14; // 0x1.ef35793c76730p-45
/** Coefficients of log1p(r) - r for |r| < 1/256 (glibc `__log_data.poly`). */
const LOG_POLY = [
  -0.5000000000000001, 0.33333333331825593, -0.2499999999622955, 0.20000304511814496, -0.16667054827627667,
] as const;
/** Coefficients of log(1 + r) for 1 + r near 1 (glibc `__log_data.poly1`). */
const LOG_POLY_NEAR_ONE = [
  -0.5,
  0.3333333333333352,
  -0.24999999999998432,
  0.19999999999320328,
  -0.16666666669929706,
  0.14285715076560868,
  -0.12499997863982555,
  0.11110712032936046,
  -0.10000486757818193,
  0.09181994006195467,
  -0.08328363062289341,
] as const;
/** [1/c, log(c)] for the 128 subintervals of [0x1.6p-1, 0x1.6p0) (glibc `__log_data.tab`). */
const LOG_TABLE: readonly (readonly [number, number])[] = [
  [1.4504249240398293, -0.3718565645633589],
  [1.442253508327276, -0.36620682668944937],
  [1.4341736174350004, -0.3605888069791945],
  [1.426183816329995, -0.3550022171419869],
  [1.4182825527052965, -0.34944666968829097],
  [1.4104682921759335, -0.3439217713603284],
  [1.4027396147468003, -0.3384271921261188],
  [1.3950954438932313, -0.332962831494342],
  [1.3875338232485754, -0.32752794345742586],
  [1.3800539211058593, -0.32212257167088865],
  [1.3726542695419708, -0.3167462884799761],
  [1.3653332798446802, -0.3113985598928366],
  [1.358090204587874, -0.3060794515165526],
  [1.3509234892132138, -0.300788424667644],
  [1.3438320840699889, -0.2955252968476998],
  [1.3368146974742003, -0.29028969275850613],
  [1.329870114677736, -0.2850812793277555],
  [1.322997339161106, -0.27989987391470095],
  [1.316195352741367, -0.27474526621870154],
  [1.3094628125672239, -0.2696169863701243],
  [1.3027990455471041, -0.26451506180308115],
  [1.2962024229438942, -0.2594387762767383],
  [1.2896726275815547, -0.2543884090981692],
  [1.2832080305745537, -0.24936321635129843],
  [1.276807885983376, -0.24436312405975968],
  [1.2704714060687552, -0.23938801747897287],
  [1.2641976054949482, -0.23443761696705678],
  [1.257985357514882, -0.22951151871518505],
  [1.2518337750655457, -0.2246094963439873],
  [1.2457421919097305, -0.21973149037705753],
  [1.2397094966625508, -0.2148770752847895],
  [1.2337348463589233, -0.210046029103637],
  [1.2278176973028803, -0.20523836373934046],
  [1.2219570190618474, -0.20045368751368642],
  [1.2161519732977757, -0.1956917537758045],
  [1.2104018095009725, -0.19095237845203883],
  [1.204705805718973, -0.18623539250290833],
  [1.1990631185441964, -0.18154051731551135],
  [1.1934733004462308, -0.1768677957431919],
  [1.1879350812847385, -0.17221657406412305],
  [1.1824481322833125, -0.16758697765942543],
  [1.1770114976921955, -0.16297859687290384],
  [1.1716248121809465, -0.15839151377804228],
  [1.1662869231674715, -0.15382513241456763],
  [1.1609977486762766, -0.14927976358922024],
  [1.1557563220795803, -0.14475495398119165],
  [1.1505619105480347, -0.14025044090817573],
  [1.1454138888505974, -0.1357660466685502],
  [1.140311877374656, -0.1313018016355727],
  [1.1352550225747513, -0.12685731518763532],
  [1.1302429094831266, -0.1224325737671279],
  [1.1252747693068048, -0.11802724521862729],
  [1.1203501571039876, -0.11364127671663482],
  [1.1154683327680124, -0.10927434611278386],
  [1.1106291463292157, -0.10492665324943573],
  [1.1058315813301596, -0.10059761422644442],
  [1.1010752177696026, -0.09628717309055901],
  [1.0963597137952512, -0.09199534069557558],
  [1.0916844827550398, -0.08772190036688698],
  [1.0870487291277784, -0.08346643613867855],
  [1.082452357388312, -0.07922916827544668],
  [1.0778948225025884, -0.0750099004750382],
  [1.0733751731601076, -0.07080805133352897],
  [1.068893585073351, -0.06662408085151128],
  [1.0644491706655506, -0.06245745471915143],
  [1.0600414846328305, -0.0583080438042316],
  [1.0556701316181605, -0.05417576112313327],
  [1.051334750556926, -0.050060547896805474],
  [1.0470347288442157, -0.045962101199052086],
  [1.0427699229652954, -0.04188056008865715],
  [1.0385395013738175, -0.03781540056183985],
  [1.034343418940345, -0.03376684757915882],
  [1.0301811073173315, -0.029734619131772888],
  [1.026052043621297, -0.025718470239212365],
  [1.0219561082336197, -0.021718543925430822],
  [1.0178926505784922, -0.01773446126981071],
  [1.0138614436244586, -0.013766252464051831],
  [1.0098620186501341, -0.009813706322574944],
  [1.0058938559734134, -0.005876555150052809],
  [1.00195696235014, -0.0019550499938532084],
  [0.9961089923088509, 0.0038985973556009412],
  [0.9884170338185201, 0.011650571286395461],
  [0.9808429191005297, 0.019342955478919066],
  [0.9733840169987446, 0.0269766014846482],
  [0.9660377568876556, 0.034552359728422744],
  [0.9588014945307369, 0.04207121767183253],
  [0.9516728569073111, 0.049533940950141186],
  [0.9446494635965822, 0.056941358295944156],
  [0.9377288993026223, 0.06429439168346107],
  [0.9309091073790681, 0.0715936354946507],
  [0.924187681612722, 0.07884010933776153],
  [0.9175626765599192, 0.08603438905970506],
  [0.9110320403624034, 0.09317721180013905],
  [0.9045935839762024, 0.10026951462748457],
  [0.8982456375922825, 0.10731170956330516],
  [0.8919860966782501, 0.11430473320717738],
  [0.8858131121185129, 0.12124928503033061],
  [0.879725075760676, 0.12814583422959913],
  [0.8737201372634685, 0.1349951636851756],
  [0.8677966405782273, 0.1417978768189414],
  [0.8619528050060739, 0.14855476039031146],
  [0.8561872354420692, 0.1552661937658968],
  [0.8504983927816893, 0.16193275688146969],
  [0.8448844572790304, 0.16855539792220497],
  [0.8393442741575965, 0.1751343179947753],
  [0.8338762249349438, 0.1816702989864325],
  [0.8284789320557778, 0.18816387146023317],
  [0.8231510800065832, 0.1946155228479256],
  [0.8178913903778707, 0.20102572579389744],
  [0.8126984007245374, 0.2073952090795501],
  [0.8075710029460227, 0.21372429840596396],
  [0.8025078881160415, 0.2200135945981856],
  [0.7975077379364331, 0.22626374162859975],
  [0.792569604966373, 0.23247494747693054],
  [0.7876923641254114, 0.23864766620658884],
  [0.7828746724940998, 0.24478265647405806],
  [0.7781155388790811, 0.25088025827324145],
  [0.7734139557869777, 0.2569408552510595],
  [0.7687687179914933, 0.26296511155101143],
  [0.7641790698041854, 0.2689531327189343],
  [0.7596438763692399, 0.27490553924610595],
  [0.7551621951078668, 0.2808227248478943],
  [0.7507331780216866, 0.286704979267256],
  [0.7463557196361751, 0.29255295645509705],
  [0.7420289364869653, 0.2983670386142876],
  [0.7377521537065876, 0.30414734587282055],
  [0.7335242966002608, 0.30989455774829366],
  [0.729344777457841, 0.31560871301871884],
];

const [A0, A1, A2, A3, A4] = LOG_POLY;
const [B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10] = LOG_POLY_NEAR_ONE;

const NEAR_ONE_LOW = 0.9375; // 1 - 0x1p-4
const NEAR_ONE_HIGH = 1.064697265625; // 1 + 0x1.09p-4
const MIN_NORMAL = 2 ** -1022;
/** High word of 0x1.6p-1, where the table's subinterval grid starts. */
const TABLE_ORIGIN_HIGH_WORD = 0x3fe60000;
const TWO_POW_27 = 134217728;
const TWO_POW_52 = 4503599627370496;

const words = new DataView(new ArrayBuffer(8));

/** glibc `log(x)`, bit for bit as its x86-64 FMA variant computes it. */
export function glibcLog(x: number): number {
  if (x >= NEAR_ONE_LOW && x < NEAR_ONE_HIGH) return logNearOne(x);
  if (x >= MIN_NORMAL && x < Infinity) {
    words.setFloat64(0, x, true);
    return logTableDriven(words.getUint32(4, true), words.getUint32(0, true));
  }
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  if (!(x > 0)) return NaN;
  // Subnormal: scale into the normal range and take the 52 back off the exponent field.
  words.setFloat64(0, x * TWO_POW_52, true);
  return logTableDriven(words.getUint32(4, true) - (52 << 20), words.getUint32(0, true));
}

/** log(1 + r) for x = 1 + r near 1: a degree-11 polynomial with the r^2/2 term split for accuracy. */
function logNearOne(x: number): number {
  if (x === 1) return 0;
  const r = x - 1;
  const r2 = r * r;
  const r3 = r * r2;
  const q1 = fma(r2, B3, fma(r, B2, B1));
  const q2 = fma(r2, B6, fma(r, B5, B4));
  const q3 = fma(r3, B10, fma(r2, B9, fma(r, B8, B7)));
  const poly = fma(fma(q3, r3, q2), r3, q1);
  const rHigh = fma(-TWO_POW_27, r, fma(r, TWO_POW_27, r));
  const rLow = r - rHigh;
  const rHighSquared = rHigh * rHigh;
  const hi = fma(rHighSquared, B0, r);
  const lo = fma(rHighSquared, B0, r - hi);
  const tail = fma(B0 * rLow, r + rHigh, lo);
  return hi + fma(poly, r3, tail);
}

/**
 * log(x) for x = 2^k * z with z in [0x1.6p-1, 0x1.6p0): log(c) + k*ln2 from the table entry of z's
 * subinterval, plus a degree-6 polynomial in r = z/c - 1. `high` may carry an exponent below the
 * normal range (subnormal inputs), as in glibc.
 */
function logTableDriven(high: number, low: number): number {
  const offsetHigh = (high - TABLE_ORIGIN_HIGH_WORD) | 0;
  const [invC, logC] = LOG_TABLE[(offsetHigh >>> 13) & 0x7f]!;
  const k = offsetHigh >> 20;
  words.setUint32(4, (high - (offsetHigh & 0xfff00000)) >>> 0, true);
  words.setUint32(0, low, true);
  const z = words.getFloat64(0, true);

  const r = fma(z, invC, -1);
  const w = fma(k, LN2_HIGH, logC);
  const hi = r + w;
  const lo = fma(k, LN2_LOW, w - hi + r);
  const r2 = r * r;
  const r3 = r * r2;
  const poly = fma(fma(r, A4, A3), r2, fma(r, A2, A1));
  return fma(r3, poly, fma(r2, A0, lo)) + hi;
}

// ---------------------------------------------------------------------------------------------
// SVML __svml_sin8 / __svml_cos8 (the AVX-512 float64 loops numpy 1.24 uses for np.sin / np.cos)

const INV_PI = 0.3183098861837907; // 0x1.45f306dc9c883p-2
/** pi split into three doubles for a Cody–Waite reduction. */
const PI_1 = 3.141592653589793; // 0x1.921fb54442d18p+1
const PI_2 = 1.224646799147353e-16; // 0x1.1a62633145c06p-53
const PI_3 = 2.165713347843828e-32; // 0x1.c1cd129024e09p-106
/** Adding 1.5 * 2^52 rounds a double of magnitude < 2^51 to an integer. */
const ROUNDING_SHIFTER = 6755399441055744;
/** Beyond these SVML switches to a Payne–Hanek reduction, which is not emulated. */
const SIN_MAX_ARGUMENT = 16777216; // 2^24
const COS_MAX_HALF_TURNS = 0x7ffffe;
/** A cheap first bound (well above the half-turn limit) that keeps floorOfProduct in range. */
const COS_MAX_ARGUMENT = 2 ** 32;
const COS_TINY_ARGUMENT = 2 ** -27;

/** Odd polynomial coefficients sin(r) ≈ r + r^3 (S0 + S1 r^2 + … + S6 r^12). */
const SIN_POLY = [
  -0.16666666666666186, 0.008333333333285542, -0.00019841269825056256, 2.7557316600552628e-6,
  -2.505188027386288e-8, 1.6048095404959637e-10, -7.373344533110665e-13,
] as const;
/** The cosine routine's own (slightly different) coefficients for the same odd polynomial. */
const COS_POLY = [
  -0.16666666666666183, 0.00833333333328519, -0.00019841269824944275, 2.755731658449074e-6,
  -2.505187912674299e-8, 1.6048055576979365e-10, -7.37280909726507e-13,
] as const;

/** Horner evaluation of c0 + c1 t + … + c6 t^6 with fused multiply-adds, highest degree first. */
function hornerFma(coefficients: readonly number[], t: number): number {
  let sum = fma(t, coefficients[6]!, coefficients[5]!);
  for (let degree = 4; degree >= 0; degree--) sum = fma(t, sum, coefficients[degree]!);
  return sum;
}

function checkReducible(x: number, reducible: boolean, name: string): void {
  if (!reducible) {
    throw new RangeError(`${name}(${x}): only finite arguments below SVML's large-argument threshold are emulated`);
  }
}

/** np.sin(x) on AVX-512 x86-64 (SVML `__svml_sin8`), for |x| <= 2^24. */
export function svmlSin(x: number): number {
  checkReducible(x, Math.abs(x) <= SIN_MAX_ARGUMENT, "svmlSin");
  const n = fma(x, INV_PI, ROUNDING_SHIFTER) - ROUNDING_SHIFTER;
  const reduced2 = fma(-n, PI_2, fma(-n, PI_1, x));
  const r2 = reduced2 * reduced2;
  const r = fma(-n, PI_3, reduced2);
  const value = fma(r2 * r, hornerFma(SIN_POLY, r2), r);
  // sin(x) = (-1)^n sin(r); a zero x keeps its own sign.
  const negate = (n % 2 !== 0) !== Object.is(x, -0);
  return negate ? -value : value;
}

/** np.cos(x) on AVX-512 x86-64 (SVML `__svml_cos8`), for |x| below about 2.6e7. */
export function svmlCos(x: number): number {
  const ax = Math.abs(x);
  checkReducible(x, ax < COS_MAX_ARGUMENT, "svmlCos");
  if (ax < COS_TINY_ARGUMENT) return 1;
  const halfTurns = floorOfProduct(ax, INV_PI);
  checkReducible(x, halfTurns <= COS_MAX_HALF_TURNS, "svmlCos");
  // cos(ax) = (-1)^m sin((m + 1/2) pi - ax) with m = floor(ax / pi).
  const n = halfTurns + 0.5;
  const reduced2 = fma(PI_2, n, fma(n, PI_1, -ax));
  const r2 = reduced2 * reduced2;
  const reduced = fma(PI_3, n, reduced2);
  const r = halfTurns % 2 !== 0 ? -reduced : reduced;
  return fma(r * r2, hornerFma(COS_POLY, r2), r);
}

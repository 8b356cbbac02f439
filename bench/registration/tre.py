# Target registration error of rigid/affine transforms over the Colin27 brain mask (ch2bet > 0).
# Usage: tre.py TRUTH.tfm LABEL TRANSFORM [LABEL TRANSFORM ...]; TRANSFORM is an ITK .tfm
# (VersorRigid3D, Euler3D, Affine) or elastix TransformParameters.0.txt (EulerTransform). TRUTH S made
# the moving image, moving(x) = fixed(S(x)); a transform T is scored by mean |S(T(p)) - p| in mm.
import sys, re, numpy as np, nibabel as nib
def versor_matrix(v):
    x, y, z = v; w = np.sqrt(max(0.0, 1 - x*x - y*y - z*z))
    return np.array([[1-2*(y*y+z*z), 2*(x*y-z*w), 2*(x*z+y*w)],
                     [2*(x*y+z*w), 1-2*(x*x+z*z), 2*(y*z-x*w)],
                     [2*(x*z-y*w), 2*(y*z+x*w), 1-2*(x*x+y*y)]])
def euler_matrix(a, b, c, zyx):
    cx, sx, cy, sy, cz, sz = np.cos(a), np.sin(a), np.cos(b), np.sin(b), np.cos(c), np.sin(c)
    X = np.array([[1,0,0],[0,cx,-sx],[0,sx,cx]]); Y = np.array([[cy,0,sy],[0,1,0],[-sy,0,cy]]); Z = np.array([[cz,-sz,0],[sz,cz,0],[0,0,1]])
    return Z @ Y @ X if zyx else Z @ X @ Y
def read_tfm(path):
    text = open(path).read()
    kind = re.search(r"Transform: (\S+)", text).group(1)
    p = np.array(re.search(r"\nParameters: (.*)", text).group(1).split(), float)
    c = np.array(re.search(r"FixedParameters: (.*)", text).group(1).split(), float)
    if kind.startswith("VersorRigid3D"): m, t = versor_matrix(p[:3]), p[3:]
    elif kind.startswith("Euler3D"): m, t = euler_matrix(*p[:3], False), p[3:]
    elif kind.startswith("Affine"): m, t = p[:9].reshape(3, 3), p[9:]
    else: sys.exit("unknown transform " + kind)
    return m, t, c[:3]
def read_elastix(path):
    text = open(path).read()
    get = lambda k: np.array(re.search(r"\(%s ([^)]*)\)" % k, text).group(1).split(), float)
    p, c = get("TransformParameters"), get("CenterOfRotationPoint")
    zyx = '(ComputeZYX "true")' in text
    return euler_matrix(*p[:3], zyx), p[3:], c
def apply(xf, pts):
    m, t, c = xf
    return (pts - c) @ m.T + c + t
if __name__ == "__main__":
    truth = read_tfm(sys.argv[1])
    mask = nib.load("/usr/share/mricron/templates/ch2bet.nii.gz")
    ijk = np.argwhere(np.asarray(mask.dataobj) > 0)
    ras = ijk @ mask.affine[:3, :3].T + mask.affine[:3, 3]
    lps = ras * [-1, -1, 1]
    for label, path in zip(sys.argv[2::2], sys.argv[3::2]):
        xf = read_elastix(path) if path.endswith(".txt") else read_tfm(path)
        err = np.linalg.norm(apply(truth, apply(xf, lps)) - lps, axis=1)
        print(f"{label}: TRE over {len(lps)} brain voxels: mean {err.mean():.3f} mm, max {err.max():.3f} mm")

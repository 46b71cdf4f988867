/* One coordinate-descent sweep of an NMF factor: scikit-learn's _update_cdnmf_fast, with the
 * same operations on every element in the same order, vectorised across rows.
 *
 * scikit-learn (sklearn/decomposition/_cdnmf_fast.pyx) updates W (n x k) column by column:
 *
 *     for s in range(k):
 *         t = permutation[s]
 *         for i in range(n):
 *             grad = -XHt[i, t]
 *             for r in range(k):
 *                 grad += HHt[t, r] * W[i, r]
 *             pg = min(0., grad) if W[i, t] == 0 else grad
 *             violation += fabs(pg)
 *             hess = HHt[t, t]
 *             if hess != 0:
 *                 W[i, t] = max(W[i, t] - grad / hess, 0.)
 *
 * A row's updates read only that row of W, so the rows are independent: here a block of rows
 * goes through every column at once, the gradient of each row summed in the same order (r = 0
 * to k-1, one rounding per product and per sum: compiled with -ffp-contract=off, no fused
 * multiply-add), which lets the compiler vectorise across the rows of the block. The |pg| are
 * kept and summed at the end in scikit-learn's order (column by column, rows in order), so the
 * violation is the same float. recap_nlp.themes.nmf checks at first use that this gives
 * scikit-learn's bits on a few random problems, and uses scikit-learn's kernel otherwise.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#define BLOCK 32 /* rows per block: the block's gradients and weights stay in L1 */

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
/* One build for every x86-64: the loader picks the widest vectors the CPU has. */
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

VECTOR_CLONES
static double sweep(double *W, const double *HHt, const double *XHt, const Py_ssize_t *perm,
                    Py_ssize_t n, Py_ssize_t k, double *pgs, double *wb)
{
    double g[BLOCK];
    for (Py_ssize_t i0 = 0; i0 < n; i0 += BLOCK) {
        const Py_ssize_t m = (n - i0 < BLOCK) ? n - i0 : BLOCK;
        for (Py_ssize_t j = 0; j < m; j++)
            for (Py_ssize_t r = 0; r < k; r++)
                wb[r * BLOCK + j] = W[(i0 + j) * k + r];
        for (Py_ssize_t s = 0; s < k; s++) {
            const Py_ssize_t t = perm[s];
            const double *h = HHt + t * k;
            for (Py_ssize_t j = 0; j < m; j++)
                g[j] = -XHt[(i0 + j) * k + t];
            if (m == BLOCK) { /* a fixed trip count: the loop the compiler vectorises best */
                for (Py_ssize_t r = 0; r < k; r++) {
                    const double c = h[r];
                    const double *w = wb + r * BLOCK;
                    for (Py_ssize_t j = 0; j < BLOCK; j++)
                        g[j] += c * w[j];
                }
            } else {
                for (Py_ssize_t r = 0; r < k; r++) {
                    const double c = h[r];
                    const double *w = wb + r * BLOCK;
                    for (Py_ssize_t j = 0; j < m; j++)
                        g[j] += c * w[j];
                }
            }
            const double hess = h[t];
            double *wt = wb + t * BLOCK;
            double *pg = pgs + s * n + i0;
            for (Py_ssize_t j = 0; j < m; j++) {
                const double grad = g[j];
                /* Cython's min(0., grad) and max(x, 0.): the first argument unless the
                 * second is smaller (larger), as scikit-learn's compiled code does. */
                pg[j] = fabs((wt[j] == 0) ? ((grad < 0.) ? grad : 0.) : grad);
                if (hess != 0) {
                    const double x = wt[j] - grad / hess;
                    wt[j] = (0. > x) ? 0. : x;
                }
            }
        }
        for (Py_ssize_t j = 0; j < m; j++)
            for (Py_ssize_t r = 0; r < k; r++)
                W[(i0 + j) * k + r] = wb[r * BLOCK + j];
    }
    double violation = 0.;
    for (Py_ssize_t q = 0; q < k * n; q++)
        violation += pgs[q];
    return violation;
}

static int get_doubles(PyObject *obj, Py_buffer *view, int writable, const char *name)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0)
        return -1;
    if (view->itemsize != sizeof(double) || view->format == NULL ||
        strcmp(view->format, "d") != 0) {
        PyErr_Format(PyExc_TypeError, "%s: a C-contiguous float64 array is expected", name);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(update_doc,
             "update(W, HHt, XHt, permutation, scratch) -> violation\n\n"
             "scikit-learn's _update_cdnmf_fast(W, HHt, XHt, permutation), the same bits: W\n"
             "(n x k, float64, C order) is updated in place. scratch: a float64 array of at\n"
             "least n*k + 32*k items, overwritten.");

static PyObject *update(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "update() takes 5 arguments");
        return NULL;
    }
    PyObject *result = NULL;
    Py_buffer w, hht, xht, perm, scratch;
    if (get_doubles(args[0], &w, 1, "W") < 0)
        return NULL;
    if (get_doubles(args[1], &hht, 0, "HHt") < 0)
        goto release_w;
    if (get_doubles(args[2], &xht, 0, "XHt") < 0)
        goto release_hht;
    if (PyObject_GetBuffer(args[3], &perm, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        goto release_xht;
    if (get_doubles(args[4], &scratch, 1, "scratch") < 0)
        goto release_perm;

    if (w.ndim != 2 || xht.ndim != 2 || hht.ndim != 2) {
        PyErr_SetString(PyExc_ValueError, "W, HHt and XHt must be 2-d");
        goto release_all;
    }
    const Py_ssize_t n = w.shape[0], k = w.shape[1];
    if (xht.shape[0] != n || xht.shape[1] != k || hht.shape[0] != k || hht.shape[1] != k) {
        PyErr_SetString(PyExc_ValueError, "shapes: W (n, k), HHt (k, k), XHt (n, k)");
        goto release_all;
    }
    if (perm.itemsize != sizeof(Py_ssize_t) || perm.ndim != 1 || perm.shape[0] != k ||
        perm.format == NULL || perm.format[0] == '\0' ||
        strchr("nlq", perm.format[0]) == NULL) {
        PyErr_SetString(PyExc_TypeError, "permutation: k intp items are expected");
        goto release_all;
    }
    const Py_ssize_t *order = (const Py_ssize_t *)perm.buf;
    for (Py_ssize_t s = 0; s < k; s++) {
        if (order[s] < 0 || order[s] >= k) {
            PyErr_SetString(PyExc_ValueError, "permutation: a column out of range");
            goto release_all;
        }
    }
    if (scratch.len / (Py_ssize_t)sizeof(double) < n * k + BLOCK * k) {
        PyErr_SetString(PyExc_ValueError, "scratch: fewer than n*k + 32*k items");
        goto release_all;
    }
    double violation;
    double *pgs = (double *)scratch.buf;
    Py_BEGIN_ALLOW_THREADS
    violation = sweep((double *)w.buf, (const double *)hht.buf, (const double *)xht.buf, order,
                      n, k, pgs, pgs + n * k);
    Py_END_ALLOW_THREADS
    result = PyFloat_FromDouble(violation);

release_all:
    PyBuffer_Release(&scratch);
release_perm:
    PyBuffer_Release(&perm);
release_xht:
    PyBuffer_Release(&xht);
release_hht:
    PyBuffer_Release(&hht);
release_w:
    PyBuffer_Release(&w);
    return result;
}

static PyMethodDef methods[] = {
    {"update", (PyCFunction)(void (*)(void))update, METH_FASTCALL, update_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_cd_kernel",
    .m_doc = "scikit-learn's NMF coordinate-descent update, the same bits, vectorised across rows.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__cd_kernel(void)
{
    PyObject *m = PyModule_Create(&module);
    /* the block's rows, for the callers' scratch size (n*k + BLOCK*k) */
    if (m != NULL && PyModule_AddIntConstant(m, "BLOCK", BLOCK) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

"""Real code runs unchanged: ``vae_gmvae_iwae`` submissions in the course's two package layouts
and as flat uploads, written the way the course's students write them (our own code).

Each submission is the generated stubs with every ``# YOUR CODE HERE`` block filled in. The
XCS236 one (``src/submission/``) calls the networks as ``self.enc(x)`` and lays out the IWAE
samples example-major with one (batch, iw, z) draw; the CS236 one (``codebase/``) imports
``codebase.*``, calls ``self.enc.encode(x)``, lays the samples out copy-major with
``ut.duplicate``, recomputes the ELBO for the IWAE decomposition, imports torchvision's
``save_image`` and matplotlib at its top, and keeps a ``y_prior`` of its own in the SSVAE.
"""

from __future__ import annotations

import ast
import textwrap
import zipfile
from pathlib import Path

from autograder.assignment import load_assignment
from autograder.variants import find_definition

ASSIGNMENT = "vae_gmvae_iwae"
STUB_BLOCK = ("# YOUR CODE HERE", "raise NotImplementedError")

XCS236 = {
    ("utils.py", "sample_gaussian"): """
        epsilon = torch.randn_like(m)
        z = m + torch.sqrt(v) * epsilon
        return z
    """,
    ("utils.py", "log_normal"): """
        element_wise = -0.5 * (torch.log(2 * np.pi * v) + (x - m).pow(2) / v)
        log_prob = torch.sum(element_wise, dim=-1)
        return log_prob
    """,
    ("utils.py", "log_normal_mixture"): """
        z = z.unsqueeze(1)  # (batch, 1, dim): broadcast against every component
        log_probs = log_normal(z, m, v)  # (batch, mix)
        log_prob = log_mean_exp(log_probs, dim=1)
        return log_prob
    """,
    ("models/vae.py", "VAE.negative_elbo_bound"): """
        qm, qv = self.enc(x)
        z = ut.sample_gaussian(qm, qv)
        logits = self.dec(z)
        rec = -torch.mean(ut.log_bernoulli_with_logits(x, logits))
        pm = self.z_prior_m.expand(qm.shape)
        pv = self.z_prior_v.expand(qv.shape)
        kl = torch.mean(ut.kl_normal(qm, qv, pm, pv))
        nelbo = rec + kl
    """,
    ("models/vae.py", "VAE.negative_iwae_bound"): """
        batch = x.shape[0]
        qm, qv = self.enc(x)
        qm = qm.unsqueeze(1).expand(batch, iw, self.z_dim)
        qv = qv.unsqueeze(1).expand(batch, iw, self.z_dim)
        z = ut.sample_gaussian(qm, qv)  # (batch, iw, z_dim)
        x_rep = x.unsqueeze(1).expand(batch, iw, x.shape[1])
        log_px = ut.log_bernoulli_with_logits(x_rep, self.dec(z))  # (batch, iw)
        log_pz = ut.log_normal(z, torch.zeros_like(z), torch.ones_like(z))
        log_qz = ut.log_normal(z, qm, qv)
        niwae = -torch.mean(ut.log_mean_exp(log_px + log_pz - log_qz, dim=1))
        kl = torch.mean(log_qz - log_pz)
        rec = -torch.mean(log_px)
    """,
    ("models/gmvae.py", "GMVAE.negative_elbo_bound"): """
        qm, qv = self.enc(x)
        z = ut.sample_gaussian(qm, qv)
        log_q = ut.log_normal(z, qm, qv)
        batch = x.shape[0]
        log_p = ut.log_normal_mixture(z, prior[0].expand(batch, -1, -1),
                                      prior[1].expand(batch, -1, -1))
        kl = torch.mean(log_q - log_p)
        rec = -torch.mean(ut.log_bernoulli_with_logits(x, self.dec(z)))
        nelbo = kl + rec
    """,
    ("models/gmvae.py", "GMVAE.negative_iwae_bound"): """
        batch = x.shape[0]
        qm, qv = self.enc(x)
        qm = qm.unsqueeze(1).expand(batch, iw, self.z_dim)
        qv = qv.unsqueeze(1).expand(batch, iw, self.z_dim)
        z = ut.sample_gaussian(qm, qv)
        x_rep = x.unsqueeze(1).expand(batch, iw, x.shape[1])
        log_px = ut.log_bernoulli_with_logits(x_rep, self.dec(z))
        flat_z = z.reshape(batch * iw, self.z_dim)
        pm = prior[0].expand(batch * iw, -1, -1)
        pv = prior[1].expand(batch * iw, -1, -1)
        log_pz = ut.log_normal_mixture(flat_z, pm, pv).reshape(batch, iw)
        log_qz = ut.log_normal(z, qm, qv)
        niwae = -torch.mean(ut.log_mean_exp(log_px + log_pz - log_qz, dim=1))
        kl = torch.mean(log_qz - log_pz)
        rec = -torch.mean(log_px)
    """,
    ("models/ssvae.py", "SSVAE.negative_elbo_bound"): """
        qm, qv = self.enc(x, y)
        z = ut.sample_gaussian(qm, qv)
        rec_all = -ut.log_bernoulli_with_logits(x, self.dec(z, y))
        kl_all = ut.kl_normal(qm, qv, self.z_prior_m.expand_as(qm), self.z_prior_v.expand_as(qv))
        rec_all = rec_all.reshape(self.y_dim, -1).t()  # (batch, y_dim)
        kl_all = kl_all.reshape(self.y_dim, -1).t()
        rec = torch.mean(torch.sum(y_prob * rec_all, dim=1))
        kl_z = torch.mean(torch.sum(y_prob * kl_all, dim=1))
        kl_y = torch.mean(ut.kl_cat(y_prob, y_logprob, np.log(1.0 / self.y_dim)))
        nelbo = rec + kl_z + kl_y
    """,
    ("models/fsvae.py", "FSVAE.negative_elbo_bound"): """
        qm, qv = self.enc(x, y)
        z = ut.sample_gaussian(qm, qv)
        x_mean = self.dec(z, y)
        rec = -torch.mean(ut.log_normal(x, x_mean, 0.1 * torch.ones_like(x_mean)))
        kl_z = torch.mean(ut.kl_normal(qm, qv, self.z_prior_m.expand_as(qm),
                                       self.z_prior_v.expand_as(qv)))
        nelbo = rec + kl_z
    """,
}

CS236 = {
    **{key: body for key, body in XCS236.items() if key[0] == "utils.py"},
    ("utils.py", "log_normal"): """
        const = -0.5 * x.size(-1) * np.log(2 * np.pi)
        log_det = -0.5 * torch.sum(torch.log(v), dim=-1)
        log_exp = -0.5 * torch.sum((x - m) ** 2 / v, dim=-1)
        return const + log_det + log_exp
    """,
    ("models/vae.py", "VAE.negative_elbo_bound"): """
        m, v = self.enc.encode(x)
        z = ut.sample_gaussian(m, v)
        logits = self.dec.decode(z)
        rec = -ut.log_bernoulli_with_logits(x, logits).mean()
        kl = ut.kl_normal(m, v, self.z_prior[0].expand_as(m), self.z_prior[1].expand_as(v)).mean()
        nelbo = kl + rec
    """,
    ("models/vae.py", "VAE.negative_iwae_bound"): """
        x_rep = ut.duplicate(x, iw)
        m, v = self.enc.encode(x_rep)
        z = ut.sample_gaussian(m, v)
        logits = self.dec.decode(z)
        log_w = (ut.log_bernoulli_with_logits(x_rep, logits)
                 + ut.log_normal(z, self.z_prior[0].expand_as(z), self.z_prior[1].expand_as(z))
                 - ut.log_normal(z, m, v))
        niwae = -ut.log_mean_exp(log_w.reshape(iw, -1), 0).mean()
        _, kl, rec = self.negative_elbo_bound(x)  # after the importance samples: allowed
    """,
    ("models/gmvae.py", "GMVAE.negative_elbo_bound"): """
        m, v = self.enc.encode(x)
        z = ut.sample_gaussian(m, v)
        kl = torch.mean(ut.log_normal(z, m, v) - ut.log_normal_mixture(z, *prior))
        rec = -torch.mean(ut.log_bernoulli_with_logits(x, self.dec.decode(z)))
        nelbo = kl + rec
    """,
    ("models/gmvae.py", "GMVAE.negative_iwae_bound"): """
        x_rep = ut.duplicate(x, iw)
        m, v = self.enc.encode(x_rep)
        z = ut.sample_gaussian(m, v)
        log_w = (ut.log_bernoulli_with_logits(x_rep, self.dec.decode(z))
                 + ut.log_normal_mixture(z, *prior) - ut.log_normal(z, m, v))
        niwae = -torch.mean(ut.log_mean_exp(log_w.view(iw, -1), dim=0))
        _, kl, rec = self.negative_elbo_bound(x)
    """,
    ("models/ssvae.py", "SSVAE.negative_elbo_bound"): """
        m, v = self.enc.encode(x, y)
        z = ut.sample_gaussian(m, v)
        logits = self.dec.decode(z, y)
        batch = y_prob.shape[0]
        rec, kl_z = 0, 0
        for c in range(self.y_dim):  # one class at a time
            rows = slice(c * batch, (c + 1) * batch)
            rec_c = -ut.log_bernoulli_with_logits(x[rows], logits[rows])
            kl_c = ut.kl_normal(m[rows], v[rows], self.z_prior_m.expand_as(m[rows]),
                                self.z_prior_v.expand_as(v[rows]))
            rec = rec + y_prob[:, c] * rec_c
            kl_z = kl_z + y_prob[:, c] * kl_c
        rec, kl_z = rec.mean(), kl_z.mean()
        kl_y = ut.kl_cat(y_prob, y_logprob, torch.log(self.y_prior)).mean()
        nelbo = rec + kl_z + kl_y
    """,
    ("models/fsvae.py", "FSVAE.negative_elbo_bound"): """
        m, v = self.enc.encode(x, y)
        z = ut.sample_gaussian(m, v)
        mu = self.dec.decode(z, y)
        rec = -ut.log_normal(x, mu, torch.full_like(mu, 0.1)).mean()
        kl_z = ut.kl_normal(m, v, self.z_prior_m.expand_as(m), self.z_prior_v.expand_as(v)).mean()
        nelbo = kl_z + rec
    """,
}
# the old release's SSVAE kept a prior on y of its own: an extra attribute, allowed
CS236_SSVAE_PRIOR = ("        self.z_prior = (self.z_prior_m, self.z_prior_v)\n",
                     "        self.z_prior = (self.z_prior_m, self.z_prior_v)\n"
                     "        self.y_prior = torch.nn.Parameter(torch.ones(self.y_dim) / self.y_dim,\n"
                     "                                          requires_grad=False)\n")
CS236_TOP = "from torchvision.utils import save_image\nimport matplotlib.pyplot as plt\n"


def _fill(text: str, function: str, body: str) -> str:
    """``text`` with the stub block of ``function`` replaced by ``body``."""
    node = find_definition(ast.parse(text), function)
    lines = text.splitlines(keepends=True)
    for i in range(node.lineno - 1, node.end_lineno):
        if lines[i].strip() == STUB_BLOCK[0] and lines[i + 1].strip() == STUB_BLOCK[1]:
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            lines[i:i + 2] = [textwrap.indent(textwrap.dedent(body).strip("\n") + "\n", indent)]
            return "".join(lines)
    raise AssertionError(f"no stub block in {function}")


def _write(bodies: dict, root: Path, package: str) -> None:
    """The stubs of the five graded files with ``bodies`` filled in, under ``root``."""
    stubs = load_assignment(ASSIGNMENT).student_dir / "submission"
    for file in ("utils.py", "models/vae.py", "models/gmvae.py", "models/ssvae.py",
                 "models/fsvae.py"):
        text = (stubs / file).read_text()
        for (where, function), body in bodies.items():
            if where == file:
                text = _fill(text, function, body)
        if package != "submission":
            text = text.replace("from submission", f"from {package}")
            text = CS236_TOP + text
            if file == "models/ssvae.py":
                text = text.replace(*CS236_SSVAE_PRIOR)
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        (root / file).write_text(text)


def _assert_full_marks(result: dict) -> None:
    lost = {t["name"]: t["output"] for t in result["tests"] if t["score"] < t["max_score"]}
    assert not lost, lost
    assert result["score"] == load_assignment(ASSIGNMENT).total_points


def test_xcs236_layout_gets_full_marks(grade, tmp_path):
    _write(XCS236, tmp_path / "src" / "submission", "submission")
    (tmp_path / "src" / "submission" / "vae.pkl").write_bytes(b"training output: ignored")
    _assert_full_marks(grade(ASSIGNMENT, tmp_path))


def test_cs236_codebase_layout_gets_full_marks(grade, tmp_path):
    _write(CS236, tmp_path / "codebase", "codebase")
    _assert_full_marks(grade(ASSIGNMENT, tmp_path))


def test_flat_zip_of_the_five_files_gets_full_marks(grade, tmp_path):
    _write(CS236, tmp_path / "codebase", "codebase")
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in (tmp_path / "codebase").rglob("*.py"):
            z.write(path, path.name)
    result = grade(ASSIGNMENT, archive)
    _assert_full_marks(result)
    assert result["extra_data"]["files"]["submission/models/vae.py"] == "vae.py"


def test_a_broken_file_costs_only_its_own_parts(grade, tmp_path):
    _write(XCS236, tmp_path, "submission")
    with open(tmp_path / "utils.py", "a") as f:
        f.write("\ndef broken(:\n")
    with open(tmp_path / "models" / "ssvae.py", "a") as f:
        f.write("\nraise SystemExit(3)\n")
    parts = grade(ASSIGNMENT, tmp_path)["extra_data"]["parts"]
    lost = {p for p, s in parts.items() if s["score"] < s["max_score"]}
    assert lost == {"1a", "2a", "4b"}, parts


HELPERS = {
    **XCS236,
    ("models/gmvae.py", "GMVAE.negative_elbo_bound"):
        XCS236[("models/gmvae.py", "GMVAE.negative_elbo_bound")].replace(
            "rec = -torch.mean(ut.log_bernoulli_with_logits(x, self.dec(z)))",
            "rec = bernoulli_rec(x, self.dec(z))"),
    ("models/vae.py", "VAE.negative_elbo_bound"):
        XCS236[("models/vae.py", "VAE.negative_elbo_bound")].replace(
            "pm = self.z_prior_m.expand(qm.shape)\n        pv = self.z_prior_v.expand(qv.shape)",
            "pm, pv = ut.standard_prior(qm)"),
    ("models/fsvae.py", "FSVAE.negative_elbo_bound"):
        XCS236[("models/fsvae.py", "FSVAE.negative_elbo_bound")].replace(
            "0.1 * torch.ones_like(x_mean)", "0.1"),
}


def test_the_students_own_helpers_in_other_files_are_reachable(grade, tmp_path):
    """Each part runs over our copies of the other graded files (the reference's utils.py,
    the others' stubs), yet a helper the student added to one of them stays reachable; and
    the contract's own log_normal(x, mu, 0.1) takes a number for the variance."""
    _write(HELPERS, tmp_path, "submission")
    with open(tmp_path / "utils.py", "a") as f:
        f.write("\n\ndef standard_prior(m):\n    return torch.zeros_like(m), torch.ones_like(m)\n")
    with open(tmp_path / "models" / "vae.py", "a") as f:
        f.write("\n\ndef bernoulli_rec(x, logits):\n"
                "    return -ut.log_bernoulli_with_logits(x, logits).mean()\n")
    gmvae = tmp_path / "models" / "gmvae.py"
    gmvae.write_text(gmvae.read_text().replace(
        "from submission.models import nns\n",
        "from submission.models import nns\nfrom submission.models.vae import bernoulli_rec\n"))
    for file, used in (("models/vae.py", "ut.standard_prior(qm)"),
                       ("models/gmvae.py", "bernoulli_rec(x, self.dec(z))"),
                       ("models/fsvae.py", "ut.log_normal(x, x_mean, 0.1)")):
        assert used in (tmp_path / file).read_text()
    _assert_full_marks(grade(ASSIGNMENT, tmp_path))


def test_student_code_under_a_solution_path_is_still_graded(grade, tmp_path):
    """The 2025 stub imports ``solution.*`` when its own path contains "solution"."""
    root = tmp_path / "my_solution" / "src" / "submission"
    _write(XCS236, root, "submission")
    vae = root / "models" / "vae.py"
    vae.write_text(vae.read_text().replace("from submission import utils",
                                           "from solution import utils"))
    _assert_full_marks(grade(ASSIGNMENT, tmp_path))


def test_write_is_idempotent_on_the_stubs(tmp_path):
    """The filled files are the stubs where no body is given (a guard on ``_write``)."""
    _write({}, tmp_path, "submission")
    stubs = load_assignment(ASSIGNMENT).student_dir / "submission"
    assert (tmp_path / "utils.py").read_text() == (stubs / "utils.py").read_text()


def test_a_notebook_of_writefile_cells_gets_full_marks(grade, tmp_path):
    """A notebook instead of the .py files: ``%%writefile src/submission/utils.py`` cells."""
    import nbformat

    _write(XCS236, tmp_path / "files", "submission")
    notebook = nbformat.v4.new_notebook()
    for path in sorted((tmp_path / "files").rglob("*.py")):
        rel = path.relative_to(tmp_path / "files").as_posix()
        notebook.cells.append(nbformat.v4.new_code_cell(
            f"%%writefile src/submission/{rel}\n{path.read_text()}"))
    nbformat.write(notebook, tmp_path / "ps2.ipynb")
    _assert_full_marks(grade(ASSIGNMENT, tmp_path / "ps2.ipynb"))

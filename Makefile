# mmhar_robust: `make demo` and `make test` set everything up on a fresh machine.
# Installing is idempotent: a stamp file records the install, and it is redone
# only when setup.py or a requirements file changes.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# The local CPU wheel of torch lives here on our machines; harmless elsewhere.
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
CONSTRAINTS ?= requirements/constraints.txt
PIP_INSTALL := $(PIP) install --quiet $(FIND_LINKS) -c $(CONSTRAINTS)
STAMP := $(VENV)/.mmhar_robust-installed
# mmaction2's declared requirements, less opencv-contrib-python.
MMACTION2_DEPS := decord einops matplotlib numpy pillow scipy
DEPS := setup.py requirements/*.txt

DEMO_DIR ?= work_dirs/demo
DEMO_DATA ?= data/synthetic/synthetic_2d.pkl
DEMO_CONFIGS := configs/skeleton/posec3d
DEMO_MODELS := supervised noiseaug contrastive
# Seed 001's trio on its best model's input (skeleton coordinates as the
# channels of a (68, T, 1, 1) volume: as accurate as heatmaps here, at a
# fraction of the cost; see README).
CONFIG_supervised := $(DEMO_CONFIGS)/slowonly_r50-tiny_skeleton_1xb8-u16-12e_synthetic-xsub-keypoint.py
CONFIG_noiseaug := $(DEMO_CONFIGS)/slowonly_r50-tiny_skeleton_noiseaug-a0.025_1xb8-u16-3e_synthetic-xsub-keypoint.py
CONFIG_contrastive := $(DEMO_CONFIGS)/slowonly_r50-tiny_skeleton_contrastive-a0.025-g5-g1_1xb8-u16-3e_synthetic-xsub-keypoint.py
DEMO_CORRUPTIONS ?= gaussian
# RGB part: synthetic videos whose background gives the class away (biased) or
# not (unbiased), an RGB 3D-CNN trained on each, the background-influence
# table and Grad-CAM overlays with the share of attention on the person.
DEMO_VIDEO_ARGS ?= --out-dir data/synthetic_video --num-subjects 16 --repeats 2 \
	--fps 15 --background-contrast 0 --view-range 15 --pan-speed 0
RGB_CONFIGS := configs/recognition/c3d
DEMO_RGB := rgb_biased rgb_unbiased
# Every validation clip scored; CAMs from TinyC3D's second stage (8 x 8 maps:
# the last stage's 4 x 4 maps blur the person into the background).
RGB_CAM_ARGS := --all --max-overlays 4 --target-layer backbone.stages.1
CONFIG_rgb_biased := $(RGB_CONFIGS)/tiny-c3d_1xb8-u16-20e_synthetic-video-biased-rgb.py
CONFIG_rgb_unbiased := $(RGB_CONFIGS)/tiny-c3d_1xb8-u16-20e_synthetic-video-unbiased-rgb.py

# mmaction2 1.1.0 needs mmcv < 2.1: a second environment checks that row of the
# version matrix (`make test-mmaction110`).
VENV110 := .venv-mmaction110
CONSTRAINTS110 := $(VENV110)/constraints.txt

.PHONY: install test demo test-mmaction110 bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) $(DEPS)
	@echo "Installing into $(VENV) (pinned: $(CONSTRAINTS))"
	# torch first, alone, so that nothing later can ask for a different build.
	$(PIP_INSTALL) torch torchvision
	$(PIP_INSTALL) mmengine mmcv-lite -r requirements/runtime.txt -r requirements/tests.txt
	# One OpenCV (opencv-python): mmaction2 declares opencv-contrib-python,
	# a second copy of the same cv2 module; its other needs are installed here.
	$(PIP_INSTALL) --no-deps mmaction2
	$(PIP_INSTALL) $(MMACTION2_DEPS)
	$(PIP_INSTALL) --no-build-isolation --no-deps -e .
	$(PY) -c "import mmhar_robust; mmhar_robust.print_environment()"
	@touch $(STAMP)

install: $(STAMP)

# Two workers (pytest-xdist), one per core, stealing work so that neither
# idles at the end; the slowest tests are listed.
test: $(STAMP)
	$(PY) -m pytest tests -q -n 2 --dist worksteal --durations=15

# Train one demo model; an interrupted run resumes from its last checkpoint.
define demo_train
	$(PY) tools/train.py $(CONFIG_$(1)) --work-dir $(DEMO_DIR)/$(1) \
		$$(if [ -f $(DEMO_DIR)/$(1)/last_checkpoint ]; then echo --resume; \
		else echo $(INIT_$(1)); fi)
	$(PY) tools/analysis_tools/train_summary.py $(DEMO_DIR)/$(1)
endef
# Grad-CAM overlays and in-person fractions of one demo model (skipped when
# its report exists).
define demo_gradcam
	[ -f $(DEMO_DIR)/gradcam/$(1)/reliance.json ] || $(PY) tools/gradcam.py \
		$(CONFIG_$(1)) $$(cat $(DEMO_DIR)/$(1)/last_checkpoint) $(2) \
		--out-dir $(DEMO_DIR)/gradcam/$(1)
endef
# The noise-augmented and contrastive models continue the supervised one from
# its epoch 9 (seed 001's sup_thresh phase, shared), 3 epochs each.
INIT_noiseaug = --cfg-options load_from=$(DEMO_DIR)/supervised/epoch_9.pth
INIT_contrastive = $(INIT_noiseaug)

# Every step resumes: training from the work dir's last checkpoint, the sweep
# from the levels already written, the data generation from its manifest.
demo: $(STAMP)
	$(PY) tools/data/make_synthetic.py --out $(DEMO_DATA)
	$(call demo_train,supervised)
	$(call demo_train,noiseaug)
	$(call demo_train,contrastive)
	$(PY) tools/noise_sweep.py --out-dir $(DEMO_DIR)/sweep \
		--corruptions $(DEMO_CORRUPTIONS) --baseline supervised \
		$(foreach m,$(DEMO_MODELS),--model $(m) $(CONFIG_$(m)) \
		$$(cat $(DEMO_DIR)/$(m)/last_checkpoint))
	$(PY) tools/data/make_synthetic_video.py $(DEMO_VIDEO_ARGS)
	$(call demo_train,rgb_biased)
	$(call demo_train,rgb_unbiased)
	$(PY) tools/background_influence.py --out-dir $(DEMO_DIR)/background \
		$(foreach m,$(DEMO_RGB),--model $(m) $(CONFIG_$(m)) \
		$$(cat $(DEMO_DIR)/$(m)/last_checkpoint))
	$(call demo_gradcam,rgb_biased,$(RGB_CAM_ARGS))
	$(call demo_gradcam,rgb_unbiased,$(RGB_CAM_ARGS))

$(VENV110)/.installed: $(DEPS)
	mkdir -p $(VENV110)
	grep -vE '^(mmaction2|mmcv-lite)==' $(CONSTRAINTS) > $(CONSTRAINTS110)
	printf 'mmaction2==1.1.0\nmmcv-lite==2.0.1\n' >> $(CONSTRAINTS110)
	$(MAKE) --no-print-directory VENV=$(VENV110) CONSTRAINTS=$(CONSTRAINTS110) install
	@touch $@

test-mmaction110: $(VENV110)/.installed
	$(VENV110)/bin/python -m pytest tests -q -n 2

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) $(VENV110) work_dirs build *.egg-info
